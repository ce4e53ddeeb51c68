package dev.clothes.trainer.backbone;

import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.testing.Shared;
import dev.clothes.trainer.features.FeatureTrunk;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two trunks in one graph, fed the first trunk's input values, give each trunk's own features (computed
 * with its own normalisation, as they are cached): the in-graph input scaling is exact to float rounding.
 */
class ConcatenatedBackboneTest {

    @Test
    void oneGraphGivesEachTrunksOwnFeaturesSideBySide() throws Exception {
        Trunks trunks = Trunks.pretrained("mobilenet-v2+mobilenet-edgetpu", null,
                new PrintStream(OutputStream.nullOutputStream()));
        Backbone both = trunks.backbone();
        assertThat(both).isInstanceOf(ConcatenatedBackbone.class);
        assertThat(both.featureSize()).isEqualTo(2560);
        assertThat(both.preprocessing()).isEqualTo(trunks.parts().get(0).backbone().preprocessing());

        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(224, 224, 3));
        g.setOutputs(both.addTrunk(g, "input_1"));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        trunks.loadInto(graph, Set.of());
        assertThat(graph.getLayer("mobilenet-edgetpu/input_scale")).isNotNull();

        Path photo;
        try (var files = Files.list(Shared.dataset().resolve("validation/skirt"))) {
            photo = files.sorted().findFirst().orElseThrow();
        }
        RgbImage image = new ImageDecoder().decode(Shared.read(photo));
        float[] together = graph.outputSingle(false, Nd4j.create(new Preprocessor(both.preprocessing()).apply(image),
                new long[] {1, 3, 224, 224}, 'c')).toFloatVector();
        graph.close();
        assertThat(together).hasSize(2560);
        try (FeatureTrunk v2 = FeatureTrunk.dl4j(trunks.parts().get(0));
             FeatureTrunk edgetpu = FeatureTrunk.dl4j(trunks.parts().get(1))) {
            assertClose(Arrays.copyOfRange(together, 0, 1280), v2.features(image));
            assertClose(Arrays.copyOfRange(together, 1280, 2560), edgetpu.features(image));
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        double max = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertThat(max / scale).isLessThan(1e-5);
    }
}
