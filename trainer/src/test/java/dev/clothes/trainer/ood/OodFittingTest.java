package dev.clothes.trainer.ood;

import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.ood.FarOodImages;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.OutOfDistributionConfig;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.testing.Shared;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny real training run fits every scorer, and the bundle it writes finds noise less like its classes than their own images. */
class OodFittingTest {

    @TempDir
    Path tmp;

    @Test
    void aTinyTrainedBundleScoresNoiseAboveItsOwnTrainingImages() throws Exception {
        Path data = Shared.tinyDataset(tmp.resolve("data"), List.of("hat", "pants"), 6, 4, 1);
        // A few near-OOD development images beside the dataset, as ../shared/data has them.
        Path dev = Files.createDirectories(tmp.resolve(OodFitting.NEAR_OOD_DEV).resolve("Other"));
        for (Path photo : ImageFolderDataset.imagesUnder(Shared.dir().resolve("data").resolve(OodFitting.NEAR_OOD_DEV))
                .subList(0, 5)) {
            Files.copy(photo, dev.resolve(photo.getFileName()));
        }
        TrainOptions options = TrainOptions.builder(data, tmp.resolve("run"))
                .backbone("mobilenet-v2", Shared.imagenet("tf2_mobilenet_v2_1.0_224_ptq.tflite"))
                .variants(1).head(new HeadConfig(16, 0.2, 1e-3, 1e-4, 4, 2, 5, true, 3, 0))
                .cache(tmp.resolve("cache")).evaluateTest(false).build();
        Path bundlePath = TrainingRun.run(options, new PrintStream(OutputStream.nullOutputStream())).bundle();

        ModelBundle bundle = ModelBundle.load(bundlePath);
        assertThat(bundle.manifest().embedding().name()).isEqualTo("dense");
        assertThat(bundle.manifest().embedding().shape()).containsExactly(1, 16);
        OutOfDistributionConfig ood = bundle.manifest().outOfDistribution();
        assertThat(ood.scorers()).extracting(s -> s.name())
                .containsExactly("msp", "energy", "mahalanobis", "knn", "combined");
        // The default is fixed (the combination); the development images only measure every scorer.
        assertThat(ood.defaultScorer()).isEqualTo("combined");
        List<String> rows = Files.readAllLines(tmp.resolve("run/ood-dev.csv"));
        assertThat(rows.get(0)).isEqualTo("scorer,default,threshold,validation_images,dev_images,dev_auroc,"
                + "dev_auroc_low,dev_auroc_high,dev_fpr_at_95_tpr");
        assertThat(rows).hasSize(6).allSatisfy(r -> assertThat(r).doesNotContain("NaN"));
        assertThat(rows.get(1).split(",")).startsWith("msp", "false").contains("8", "5"); // 8 validation, 5 dev images
        assertThat(rows.get(5).split(",")).startsWith("combined", "true");
        for (String row : rows.subList(1, 6)) {
            String[] cells = row.split(",");
            double auroc = Double.parseDouble(cells[5]);
            assertThat(Double.parseDouble(cells[6])).isLessThanOrEqualTo(auroc);
            assertThat(Double.parseDouble(cells[7])).isGreaterThanOrEqualTo(auroc);
        }
        // means 2x16 + precision 16x16 + energy 2x16 + 2 + k-NN 12x16 + the four scorers' 8 validation scores,
        // as float32
        assertThat(bundle.outOfDistributionData().orElseThrow()).hasSize(4 * (32 + 256 + 32 + 2 + 12 * 16 + 4 * 8));

        // The noise check is on a feature-distance scorer, which alone sees how far noise is from the classes.
        bundle = bundle.withOutOfDistribution(ood.withDefault("mahalanobis"), bundle.outOfDistributionData().orElseThrow());
        List<Double> own = new ArrayList<>();
        List<Double> noise = new ArrayList<>();
        try (Classifier classifier = new Classifier(bundle, ClassifierOptions.DEFAULT)) {
            for (Path image : ImageFolderDataset.imagesUnder(data.resolve("train"))) {
                Classification c = classifier.classify(Files.readAllBytes(image), 1);
                own.add(c.ood().orElseThrow().score());
            }
            for (FarOodImages.Named image : FarOodImages.draw(7)) {
                if (image.name().contains("noise")) {
                    ByteArrayOutputStream png = new ByteArrayOutputStream();
                    ImageIO.write(image.image(), "png", png);
                    Classification c = classifier.classify(png.toByteArray(), 1);
                    noise.add(c.ood().orElseThrow().score());
                    assertThat(c.unsure()).as(image.name()).isTrue();
                }
            }
        }
        assertThat(noise).hasSize(16);
        double worstOwn = own.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(noise).allSatisfy(score -> assertThat(score).isGreaterThan(worstOwn));
    }
}
