package dev.clothes.evaluation.dataset;

import dev.clothes.inference.bundle.Checksums;
import dev.clothes.testing.Shared;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dataset copy CI uses verifies against data/clothing-dataset-small.sha256, file by file. */
class DatasetManifestTest {

    @Test
    void sharedCopyMatchesTheManifestAndTheExpectedCounts() throws Exception {
        Path manifest = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."))
                .resolve("data/clothing-dataset-small.sha256");
        if (!Files.exists(manifest)) {
            manifest = Path.of("../data/clothing-dataset-small.sha256");
        }
        List<String> lines = Files.readAllLines(manifest);
        assertThat(lines).hasSize(3781);
        Map<String, Integer> perSplit = new TreeMap<>();
        for (String line : lines) {
            String sha = line.substring(0, 64);
            String file = line.substring(66);
            assertThat(Checksums.sha256(Shared.dataset().resolve(file))).as(file).isEqualTo(sha);
            perSplit.merge(file.substring(0, file.indexOf('/')), 1, Integer::sum);
        }
        assertThat(perSplit).containsExactlyInAnyOrderEntriesOf(Map.of("train", 3068, "validation", 341, "test", 372));

        ImageFolderDataset dataset = ImageFolderDataset.open(Shared.dataset(), ImageFolderDataset.SPLITS);
        assertThat(dataset.classes()).containsExactly("dress", "hat", "longsleeve", "outwear", "pants", "shirt",
                "shoes", "shorts", "skirt", "t-shirt");
        assertThat(dataset.split("train")).hasSize(3068);
    }
}
