package dev.clothes.trainer.train;

import dev.clothes.trainer.TrainingException;
import dev.clothes.trainer.features.FeatureSet;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeadTrainerTest {

    @TempDir
    Path tmp;

    /** Three separable Gaussian blobs in 16 dimensions. */
    private static FeatureSet blobs(int perClass, long seed) {
        Random random = new Random(seed);
        int n = perClass * 3;
        float[][] x = new float[n][16];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int d = 0; d < 16; d++) {
                x[i][d] = (float) (random.nextGaussian() + (d % 3 == y[i] ? 2.5 : 0));
            }
        }
        return new FeatureSet(x, y, java.util.Collections.nCopies(n, Path.of("x")), List.of(),
                java.util.Map.of());
    }

    private static final HeadConfig CONFIG = new HeadConfig(8, 0.2, 0.01, 1e-4, 16, 6, 10, true, 7, 0);
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void learnsSeparableClasses() throws Exception {
        HeadTrainer.Result result = new HeadTrainer(CONFIG, tmp.resolve("a"))
                .train(blobs(40, 1), blobs(15, 2), 3, "data", false, QUIET);
        assertThat(result.state().bestValidationAccuracy()).isGreaterThan(0.9);
        assertThat(result.state().history()).hasSize(6);
        assertThat(result.state().finished()).isTrue();
    }

    @Test
    void resumeAfterACrashEndsLikeAnUninterruptedRun() throws Exception {
        FeatureSet train = blobs(40, 1);
        FeatureSet val = blobs(15, 2);
        HeadTrainer.Result straight = new HeadTrainer(CONFIG, tmp.resolve("straight"))
                .train(train, val, 3, "data", false, QUIET);

        // Dies right after epoch 3 was checkpointed (the log line comes after the checkpoint).
        PrintStream crashing = new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public PrintStream printf(java.util.Locale l, String format, Object... args) {
                if (format.startsWith("epoch") && ((Integer) args[0]) == 3) {
                    throw new IllegalStateException("killed");
                }
                return this;
            }
        };
        Path dir = tmp.resolve("interrupted");
        assertThatThrownBy(() -> new HeadTrainer(CONFIG, dir).train(train, val, 3, "data", false, crashing))
                .hasMessage("killed");
        HeadTrainer.Result resumed = new HeadTrainer(CONFIG, dir).train(train, val, 3, "data", true, QUIET);

        assertThat(resumed.state().history()).hasSize(6);
        assertThat(resumed.state().bestEpoch()).isEqualTo(straight.state().bestEpoch());
        for (int e = 0; e < 6; e++) {
            assertThat(resumed.state().history().get(e).validationLoss())
                    .isCloseTo(straight.state().history().get(e).validationLoss(), org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(resumed.head().params().sub(straight.head().params()).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void refusesToResumeWithOtherSettings() throws Exception {
        Path dir = tmp.resolve("run");
        new HeadTrainer(CONFIG, dir).train(blobs(10, 1), blobs(5, 2), 3, "data", false, QUIET);
        HeadConfig other = new HeadConfig(16, 0.2, 0.01, 1e-4, 16, 6, 10, true, 7, 0);
        assertThatThrownBy(() -> new HeadTrainer(other, dir).train(blobs(10, 1), blobs(5, 2), 3, "data", true, QUIET))
                .hasMessageContaining("made with other data or settings")
                .isInstanceOfSatisfying(TrainingException.class, e -> assertThat(e.code()).isEqualTo("train.resume-mismatch"));
    }

    /** Features far from mean 0 and unit scale, as pooled ReLU features are: standardising matters here. */
    private static FeatureSet shifted(FeatureSet set) {
        float[][] x = new float[set.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = set.features()[i].clone();
            for (int d = 0; d < x[i].length; d++) {
                x[i][d] = x[i][d] * (1 + d) + 10 * d;
            }
        }
        return new FeatureSet(x, set.labels(), set.files(), set.skipped(), set.imageSha256());
    }

    @Test
    void standardisedHeadIsFoldedToReadRawFeatures() throws Exception {
        FeatureSet train = shifted(blobs(40, 1));
        FeatureSet val = shifted(blobs(15, 2));
        for (int hidden : new int[] {0, 8}) {
            HeadConfig config = new HeadConfig(hidden, 0.2, 0.01, 1e-4, 16, 6, 10, true, 7, 0, true, 0);
            HeadTrainer.Result folded = new HeadTrainer(config, tmp.resolve("std-" + hidden))
                    .train(train, val, 3, "data", false, QUIET);
            // The returned head reads raw features and gives the validation accuracy training measured
            // on standardised ones.
            double[] fit = GraphTrainer.lossAndAccuracy(folded.head(), new GraphTrainer.Data(
                    org.nd4j.linalg.factory.Nd4j.create(val.features()), val.labels()));
            assertThat(fit[1]).as("hidden " + hidden).isEqualTo(folded.state().bestValidationAccuracy());
            assertThat(fit[0]).isCloseTo(folded.state().bestValidationLoss(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void mixupTrainsAndIsReproducible() throws Exception {
        HeadConfig mixup = new HeadConfig(8, 0.2, 0.01, 1e-4, 16, 6, 10, true, 7, 0.1, false, 0.4);
        HeadTrainer.Result a = new HeadTrainer(mixup, tmp.resolve("mix-a")).train(blobs(40, 1), blobs(15, 2), 3, "data",
                false, QUIET);
        HeadTrainer.Result b = new HeadTrainer(mixup, tmp.resolve("mix-b")).train(blobs(40, 1), blobs(15, 2), 3, "data",
                false, QUIET);
        assertThat(a.state().bestValidationAccuracy()).isGreaterThan(0.9);
        assertThat(a.head().params().sub(b.head().params()).amaxNumber().doubleValue()).isZero();
        // Beta(alpha, alpha) draws lie in [0, 1] and average 1/2.
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        double sum = 0;
        for (int i = 0; i < 4000; i++) {
            double lambda = Mixup.beta(random, 0.4);
            assertThat(lambda).isBetween(0.0, 1.0);
            sum += lambda;
        }
        assertThat(sum / 4000).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.02));
    }
}
