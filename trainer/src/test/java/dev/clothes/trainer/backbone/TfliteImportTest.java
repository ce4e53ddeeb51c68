package dev.clothes.trainer.backbone;

import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;
import dev.clothes.testing.Shared;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/** MobileNetV2 rebuilt in DL4J from the ImageNet TFLite file must see what the TFLite runtime sees. */
class TfliteImportTest {

    private static final String MODEL = "mobilenet_v2_1.0_224_quant.tflite";
    private static final String POOLED = "MobilenetV2/Logits/AvgPool";

    @Test
    void dl4jGraphRanksTheCatFirstAndMatchesTfliteFeatures() throws Exception {
        byte[] tflite = Shared.read(Shared.imagenet(MODEL));
        List<TfliteWeights.Convolution> convs = TfliteWeights.convolutions(tflite);
        assertThat(convs).hasSize(53);

        MobileNetV2 backbone = new MobileNetV2(Normalization.uniform(128, 128));
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(224, 224, 3));
        String features = backbone.addTrunk(g, "input_1");
        g.addLayer("predictions", new DenseLayer.Builder().nOut(1001).activation(Activation.SOFTMAX).build(), features);
        g.setOutputs(features, "predictions");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        TfliteWeights.load(net, MobileNetV2.convolutionsWithBatchNorm(), convs, 1e-3);
        TfliteWeights.Convolution logits = convs.get(convs.size() - 1);
        net.getLayer("predictions").setParam("W", Nd4j.create(logits.weights(), new long[] {1001, 1280}, 'c')
                .transpose().dup('c'));
        net.getLayer("predictions").setParam("b", Nd4j.create(logits.bias(), 1, 1001));

        RgbImage cat = new ImageDecoder().decode(Shared.read(Shared.imagenet("cat_720p.jpg")));
        Preprocessing nchw = backbone.preprocessing();
        float[] input = new Preprocessor(nchw).apply(cat);
        assertFeaturesAgree(net, tflite, nchw, cat);
        for (String file : List.of("test/shoes", "test/t-shirt")) {
            try (var images = Files.list(Shared.dataset().resolve(file))) {
                Path first = images.sorted().findFirst().orElseThrow();
                assertFeaturesAgree(net, tflite, nchw, new ImageDecoder().decode(Shared.read(first)));
            }
        }
        long t0 = System.nanoTime();
        INDArray[] out = net.output(Nd4j.create(input, new long[] {1, 3, 224, 224}, 'c'));
        System.out.printf("DL4J MobileNetV2 forward: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        float[] probabilities = out[1].toFloatVector();
        int best = Nd4j.argMax(out[1], 1).getInt(0);
        List<String> labels = Files.readAllLines(Shared.imagenet("imagenet_labels.txt"));
        System.out.println("DL4J top-1: " + labels.get(best) + " " + probabilities[best]);
        assertThat(labels.get(best)).containsAnyOf("tabby", "tiger cat", "Egyptian cat");

    }

    /** The pooled features of DL4J (float, dequantized weights) and TFLite (uint8) agree. */
    private static void assertFeaturesAgree(ComputationGraph net, byte[] tflite, Preprocessing nchw, RgbImage image) {
        Preprocessing nhwc = nchw.withSize(224, 224).withLayout(TensorLayout.NHWC);
        float[] tfliteFeatures;
        try (TfliteRuntime runtime = new TfliteRuntime(tflite, new RuntimeOptions(2, 1), MODEL, POOLED)) {
            tfliteFeatures = runtime.run(new Preprocessor(nhwc).apply(image));
        }
        float[] dl4jFeatures = net.output(Nd4j.create(new Preprocessor(nchw).apply(image),
                new long[] {1, 3, 224, 224}, 'c'))[0].toFloatVector();
        assertThat(dl4jFeatures).hasSize(1280);
        double dot = 0;
        double na = 0;
        double nb = 0;
        double maxAbs = 0;
        for (int i = 0; i < 1280; i++) {
            dot += dl4jFeatures[i] * tfliteFeatures[i];
            na += dl4jFeatures[i] * dl4jFeatures[i];
            nb += tfliteFeatures[i] * tfliteFeatures[i];
            maxAbs = Math.max(maxAbs, Math.abs(dl4jFeatures[i] - tfliteFeatures[i]));
        }
        double cosine = dot / Math.sqrt(na * nb);
        System.out.printf("features: cosine %.4f, max |diff| %.3f (feature range 0..6)%n", cosine, maxAbs);
        assertThat(cosine).isGreaterThan(0.95);
    }
}
