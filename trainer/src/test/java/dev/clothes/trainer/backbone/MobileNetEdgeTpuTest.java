package dev.clothes.trainer.backbone;

import dev.clothes.graphexport.dl4j.Dl4jBuilder;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.tflite.TfliteReader;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;
import dev.clothes.testing.Shared;
import dev.clothes.trainer.features.FeatureTrunk;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MobileNet-EdgeTPU read from its uint8 TFLite file by the generic importer: the DL4J graph gives the
 * quantized file's ImageNet answer on the cat, and its float32 TFLite export by graph-export (what
 * {@code train} computes features with) matches the DL4J trunk the bundle serves.
 */
class MobileNetEdgeTpuTest {

    private static final Path FILE = Shared.imagenet("mobilenet_edgetpu_224_1.0_uint8.tflite");

    @Test
    void registryEntryReadsTheArchitectureFromTheFile() throws Exception {
        PretrainedTrunk trunk = Backbones.byId(Backbones.MOBILENET_EDGETPU)
                .pretrained(FILE, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(trunk.backbone()).isInstanceOf(TfliteBackbone.class);
        assertThat(trunk.backbone().id()).isEqualTo("mobilenet-edgetpu");
        assertThat(trunk.backbone().inputSize()).isEqualTo(224);
        assertThat(trunk.backbone().featureSize()).isEqualTo(1280);
        // The file's input is uint8 with scale 1/127 and zero point 128: (x - 128) / 127.
        Normalization n = trunk.backbone().preprocessing().normalization();
        assertThat(n.mean()).containsExactly(128.0, 128.0, 128.0);
        assertThat(n.std()).allSatisfy(std -> assertThat(std).isCloseTo(127, org.assertj.core.data.Offset.offset(1e-5)));
        assertThat(trunk.backbone().fineTuneCut()).isEqualTo("MobilenetEdgeTPU/expanded_conv_20/add");
    }

    @Test
    void dl4jGraphGivesTheQuantizedFilesAnswerOnTheCat() throws Exception {
        byte[] tflite = Shared.read(FILE);
        IrGraph whole = TfliteReader.read(tflite);
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(224, 224, 3));
        g.setOutputs(Dl4jBuilder.addTo(g, whole, "input_1"));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        Dl4jBuilder.loadWeights(net, whole);

        TfliteBackbone backbone = TfliteBackbone.read("mobilenet-edgetpu", tflite);
        RgbImage cat = new ImageDecoder().decode(Shared.read(Shared.imagenet("cat_720p.jpg")));
        INDArray input = Nd4j.create(new Preprocessor(backbone.preprocessing()).apply(cat), new long[] {1, 3, 224, 224}, 'c');
        float[] dl4j = net.outputSingle(false, input).toFloatVector();
        net.close();
        float[] quantized;
        try (TfliteRuntime file = new TfliteRuntime(tflite, new RuntimeOptions(2, 1), "edgetpu")) {
            quantized = file.run(new Preprocessor(backbone.preprocessing().withLayout(TensorLayout.NHWC)).apply(cat));
        }
        List<String> labels = Files.readAllLines(Shared.imagenet("imagenet_labels.txt"));
        assertThat(dl4j).hasSize(1001).hasSameSizeAs(quantized);
        int best = argMax(dl4j);
        System.out.printf("EdgeTPU on the cat: DL4J %s %.3f, uint8 file %s %.3f%n", labels.get(best), dl4j[best],
                labels.get(argMax(quantized)), quantized[argMax(quantized)]);
        assertThat(best).isEqualTo(argMax(quantized));
        assertThat(labels.get(best)).containsAnyOf("tabby", "tiger cat", "Egyptian cat");
        assertThat(top5(dl4j)).containsAnyElementsOf(List.of(top5(quantized)[0], top5(quantized)[1]));
    }

    @Test
    void float32ExportMatchesTheDl4jTrunk() throws Exception {
        PretrainedTrunk trunk = PretrainedTrunk.fromTflite("mobilenet-edgetpu", 224, 1280, FILE, Shared.read(FILE));
        ImageDecoder decoder = new ImageDecoder();
        try (FeatureTrunk fast = FeatureTrunk.of(trunk, 1); FeatureTrunk reference = FeatureTrunk.dl4j(trunk)) {
            assertThat(fast.cacheIdentity()).contains("|float32-tflite|");
            for (String image : List.of("test/shoes", "test/dress")) {
                Path file;
                try (var files = Files.list(Shared.dataset().resolve(image))) {
                    file = files.sorted().findFirst().orElseThrow();
                }
                RgbImage decoded = decoder.decode(Shared.read(file));
                float[] a = fast.features(decoded);
                float[] b = reference.features(decoded);
                double max = 0;
                double scale = 0;
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                    scale = Math.max(scale, Math.abs(b[i]));
                }
                System.out.printf("EdgeTPU float32 TFLite vs DL4J on %s: max |d| %.2e of %.2f%n", file.getFileName(), max,
                        scale);
                assertThat(max / scale).isLessThan(1e-4);
            }
        }
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Integer[] top5(float[] v) {
        return java.util.stream.IntStream.range(0, v.length).boxed().sorted((a, b) -> Float.compare(v[b], v[a]))
                .limit(5).toArray(Integer[]::new);
    }
}
