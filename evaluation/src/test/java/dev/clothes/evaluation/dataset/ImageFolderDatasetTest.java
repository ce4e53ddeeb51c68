package dev.clothes.evaluation.dataset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFolderDatasetTest {

    @TempDir
    Path root;

    private void image(String split, String label, String name) throws Exception {
        Path dir = Files.createDirectories(root.resolve(split).resolve(label));
        Files.write(dir.resolve(name), new byte[] {1});
    }

    private void tree() throws Exception {
        for (String split : ImageFolderDataset.SPLITS) {
            image(split, "shirt", "a.jpg");
            image(split, "shirt", "b.JPG");
            image(split, "pants", "c.png");
        }
        Files.writeString(root.resolve("train/shirt/notes.txt"), "not an image");
    }

    @Test
    void readsClassesAndCountsInSortedOrder() throws Exception {
        tree();
        ImageFolderDataset ds = ImageFolderDataset.open(root, ImageFolderDataset.SPLITS);
        assertThat(ds.classes()).containsExactly("pants", "shirt");
        assertThat(ds.counts("train")).containsExactly(1, 2);
        assertThat(ds.split("test")).extracting(LabeledImage::label).containsExactly(0, 1, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ds.printSummary(new PrintStream(out, true));
        assertThat(out.toString()).contains("shirt", "total", "validation");
    }

    @Test
    void refusesMissingSplitEmptyClassAndOneSidedClass() throws Exception {
        tree();
        Files.createDirectories(root.resolve("train/hat"));
        assertThatThrownBy(() -> ImageFolderDataset.open(root, ImageFolderDataset.SPLITS))
                .isInstanceOf(DatasetException.class).hasMessageContaining("[hat] are missing from the 'validation'");
        image("validation", "hat", "h.jpg");
        image("test", "hat", "h.jpg");
        assertThatThrownBy(() -> ImageFolderDataset.open(root, ImageFolderDataset.SPLITS))
                .hasMessageContaining("class 'hat' has no images in the 'train' split");
        assertThatThrownBy(() -> ImageFolderDataset.open(root, List.of("train", "holdout")))
                .hasMessageContaining("has no 'holdout' folder");
        assertThatThrownBy(() -> ImageFolderDataset.open(root.resolve("nowhere"), ImageFolderDataset.SPLITS))
                .hasMessageContaining("no dataset at");
    }
}
