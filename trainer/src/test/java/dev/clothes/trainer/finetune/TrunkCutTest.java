package dev.clothes.trainer.finetune;

import dev.clothes.testing.Shared;
import dev.clothes.trainer.backbone.PretrainedTrunk;
import dev.clothes.trainer.features.FeatureTrunk;

import java.nio.file.Path;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrunkCutTest {

    private static INDArray images(int n, int size, long seed) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), n, 3, size, size).castTo(DataType.FLOAT)
                .muli(2).subi(1);
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    @Test
    void belowThenFoldedAboveComputesTheWholeTrunk() {
        ComputationGraph trunk = TinyTrunk.build(3);
        TrunkCut cut = new TrunkCut(trunk, TinyTrunk.SIZE, TinyTrunk.CUT);
        assertThat(cut.activationShape()).containsExactly(8, 8, 8);
        INDArray x = images(4, TinyTrunk.SIZE, 5);
        ComputationGraph below = cut.below();
        ComputationGraph above = cut.above();
        try {
            INDArray whole = trunk.outputSingle(false, x);
            INDArray split = above.outputSingle(false, below.outputSingle(false, x));
            assertThat(whole.amaxNumber().doubleValue()).isGreaterThan(0.1);
            assertThat(maxDiff(whole, split)).isLessThan(1e-5);
            // The batch norms above the cut are gone: folded into biased convolutions.
            assertThat(above.getLayer("top_project").paramTable()).containsKey("b");
            assertThat(above.getLayer("top_depthwise").paramTable()).containsKey("b");
            assertThat(above.getVertex("top_project_BN")).isNull();
        } finally {
            below.close();
            above.close();
        }
    }

    @Test
    void unfoldingChangedWeightsGivesAGraphThatComputesTheSame() {
        ComputationGraph trunk = TinyTrunk.build(3);
        TrunkCut cut = new TrunkCut(trunk, TinyTrunk.SIZE, TinyTrunk.CUT);
        ComputationGraph above = cut.above();
        // Stand-in for training: every folded weight and bias moves.
        above.setParams(above.params().mul(1.1).addi(0.01));
        ComputationGraph whole = TinyTrunk.build(3);
        cut.unfoldInto(above, whole);
        ComputationGraph below = cut.below();
        INDArray x = images(3, TinyTrunk.SIZE, 9);
        try {
            assertThat(maxDiff(whole.outputSingle(false, x), above.outputSingle(false, below.outputSingle(false, x))))
                    .isLessThan(1e-5);
            assertThat(maxDiff(whole.outputSingle(false, x), trunk.outputSingle(false, x))).isGreaterThan(1e-3);
        } finally {
            below.close();
            above.close();
        }
    }

    @Test
    void refusesACutThatDoesNotSeparateTheGraph() {
        ComputationGraph trunk = TinyTrunk.build(3);
        assertThatThrownBy(() -> new TrunkCut(trunk, TinyTrunk.SIZE, "block_expand"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'block_add' above it reads 'stem_relu' from below it");
        assertThatThrownBy(() -> new TrunkCut(trunk, TinyTrunk.SIZE, "no_such_layer"))
                .hasMessage("no vertex 'no_such_layer' in the trunk to cut at");
        assertThatThrownBy(() -> new TrunkCut(trunk, TinyTrunk.SIZE, "pool"))
                .hasMessageContaining("must output a feature map");
    }

    @Test
    void mobileNetV2CutsAtItsDefaultWithImageNetWeights() throws Exception {
        Path file = Shared.imagenet("tf2_mobilenet_v2_1.0_224_ptq.tflite");
        PretrainedTrunk pretrained = PretrainedTrunk.mobileNetV2FromTflite(file, Shared.read(file));
        ComputationGraph trunk = FeatureTrunk.graph(pretrained);
        TrunkCut cut = new TrunkCut(trunk, 224, pretrained.backbone().fineTuneCut());
        assertThat(cut.activationShape()).containsExactly(7, 7, 160);
        ComputationGraph below = cut.below();
        ComputationGraph above = cut.above();
        INDArray x = images(1, 224, 11);
        try {
            INDArray whole = trunk.outputSingle(false, x);
            assertThat(maxDiff(whole, above.outputSingle(false, below.outputSingle(false, x))))
                    .isLessThan(1e-4 * whole.amaxNumber().doubleValue());
        } finally {
            below.close();
            above.close();
            trunk.close();
        }
    }
}
