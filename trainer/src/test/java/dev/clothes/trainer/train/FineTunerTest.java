package dev.clothes.trainer.train;

import dev.clothes.trainer.finetune.TinyTrunk;
import dev.clothes.trainer.finetune.TrunkCut;
import dev.clothes.trainer.features.FeatureSet;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fine-tuning on a tiny trunk and synthetic images: it learns, and a killed run resumes to the same result. */
class FineTunerTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final HeadConfig HEAD = new HeadConfig(8, 0.1, 0.01, 1e-4, 8, 3, 10, true, 7, 0);
    private static final FineTuneConfig TUNE = new FineTuneConfig(null, 3e-3, 5, 10, 1);
    private static final int VARIANTS = 2;

    @TempDir
    Path tmp;

    /** Images whose class is a colour tint the trunk must pick up; {@code VARIANTS} noisy copies each. */
    private static INDArray images(int perClass, long seed, int variants) {
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), perClass * 3L * variants, 3,
                TinyTrunk.SIZE, TinyTrunk.SIZE).castTo(DataType.FLOAT).subi(0.5);
        for (int row = 0; row < x.size(0); row++) {
            int label = (row / variants) % 3;
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(row), org.nd4j.linalg.indexing.NDArrayIndex.point(label))
                    .addi(0.4);
        }
        return x;
    }

    private static int[] labels(int perClass, int variants) {
        int[] y = new int[perClass * 3 * variants];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i / variants) % 3;
        }
        return y;
    }

    private record Fixture(TrunkCut cut, INDArray train, INDArray validation, ComputationGraph head) {
    }

    private Fixture fixture() throws Exception {
        ComputationGraph trunk = TinyTrunk.build(3);
        TrunkCut cut = new TrunkCut(trunk, TinyTrunk.SIZE, TinyTrunk.CUT);
        ComputationGraph below = cut.below();
        INDArray train = below.outputSingle(false, images(12, 1, VARIANTS));
        INDArray validation = below.outputSingle(false, images(6, 2, 1));
        below.close();
        ComputationGraph above = cut.above();
        FeatureSet pooledTrain = pooled(above, train, labels(12, VARIANTS));
        FeatureSet pooledValidation = pooled(above, validation, labels(6, 1));
        above.close();
        ComputationGraph head = new HeadTrainer(HEAD, tmp.resolve("head"))
                .train(pooledTrain, pooledValidation, 3, "data", false, QUIET).head();
        return new Fixture(cut, train, validation, head);
    }

    private static FeatureSet pooled(ComputationGraph above, INDArray x, int[] labels) {
        return new FeatureSet(above.outputSingle(false, x).toFloatMatrix(), labels,
                Collections.nCopies(labels.length, Path.of("x")), List.of(), Map.of());
    }

    private FineTuner.Result tune(Fixture f, Path dir, boolean resume, PrintStream log) throws Exception {
        return new FineTuner(TUNE, HEAD, dir).train(f.cut(), f.head(), f.train(), labels(12, VARIANTS), VARIANTS,
                f.validation(), labels(6, 1), 3, "data", resume, log);
    }

    @Test
    void lowersTheTrainingLossAndResumesAfterAKillToTheSameResult() throws Exception {
        Fixture f = fixture();
        FineTuner.Result straight = tune(f, tmp.resolve("straight"), false, QUIET);
        List<EpochMetrics> history = straight.state().history();
        assertThat(history).hasSize(5);
        assertThat(history.get(4).trainLoss()).isLessThan(history.get(0).trainLoss());

        // Dies right after epoch 2 was checkpointed (the log line comes after the checkpoint).
        PrintStream crashing = new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public PrintStream printf(Locale l, String format, Object... args) {
                if (format.startsWith("epoch") && ((Integer) args[0]) == 2) {
                    throw new IllegalStateException("killed");
                }
                return this;
            }
        };
        Path dir = tmp.resolve("interrupted");
        assertThatThrownBy(() -> tune(f, dir, false, crashing)).hasMessage("killed");
        FineTuner.Result resumed = tune(f, dir, true, QUIET);

        assertThat(resumed.state().history()).hasSize(5);
        assertThat(resumed.state().bestEpoch()).isEqualTo(straight.state().bestEpoch());
        for (int e = 0; e < 5; e++) {
            assertThat(resumed.state().history().get(e).trainLoss())
                    .isEqualTo(straight.state().history().get(e).trainLoss());
        }
        assertThat(resumed.top().params().sub(straight.top().params()).amaxNumber().doubleValue()).isEqualTo(0.0);
    }

    @Test
    void epochsRotateThroughTheAugmentationVariants() {
        FineTuner tuner = new FineTuner(new FineTuneConfig(null, 1e-4, 3, 1, 2), HEAD, tmp);
        // 2 images x 3 variants, 2 variants per epoch: every variant of every image within two epochs.
        assertThat(tuner.rows(2, 3, 1)).containsExactly(0, 1, 4, 5);
        assertThat(tuner.rows(2, 3, 2)).containsExactly(2, 0, 3, 4);
    }
}
