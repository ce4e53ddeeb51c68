package dev.clothes.trainer.features;

import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.testing.Shared;
import dev.clothes.trainer.backbone.InceptionV3;
import dev.clothes.trainer.backbone.PretrainedTrunk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The float32 TFLite trunk must compute the DL4J trunk's features (the ones the bundle serves) on
 * real dataset images. Measured (3 images, ImageNet weights): MobileNetV2 max |Δ| 1.6e-5 on
 * features up to 3.9, i.e. 4.4e-6 relative, cosine 1 - 4e-12; InceptionV3 (random weights) 2.8e-7
 * relative. The tolerances leave >20x margin over that float rounding.
 */
class TfliteTrunkTest {

    private static final double MAX_RELATIVE_DIFF = 1e-4;
    private static final double MIN_COSINE = 0.999999;

    @Test
    void mobileNetV2MatchesDl4jOnDatasetImagesWithImageNetWeights() throws Exception {
        Path file = Shared.imagenet("tf2_mobilenet_v2_1.0_224_ptq.tflite");
        PretrainedTrunk trunk = PretrainedTrunk.mobileNetV2FromTflite(file, Shared.read(file));
        List<RgbImage> images = images(List.of("shoes", "t-shirt", "pants"), 1);
        try (FeatureTrunk fast = FeatureTrunk.of(trunk, 2); Dl4jTrunk reference = FeatureTrunk.dl4j(trunk);
             TfliteTrunk int8 = TfliteTrunk.imagenetFile(trunk.weights(), trunk.backbone().preprocessing(), 1)) {
            assertThat(fast.cacheIdentity()).as("train uses the converted float32 trunk").contains("|float32-tflite|");
            assertThat(fast.featureSize()).isEqualTo(1280);
            assertParity("mobilenet-v2", fast, reference, images);
            // Features of different executors never share cache entries.
            assertThat(fast.cacheIdentity()).isNotEqualTo(int8.cacheIdentity()).isNotEqualTo(reference.cacheIdentity());
        }
    }

    /** No ImageNet InceptionV3 weights are reachable here: random weights and batch-norm statistics. */
    @Test
    void inceptionV3MatchesDl4jWithRandomWeights() throws Exception {
        InceptionV3 backbone = new InceptionV3();
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(299, 299, 3));
        g.setOutputs(backbone.addTrunk(g, "input_1"));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        Nd4j.getRandom().setSeed(7);
        for (var layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                // Non-trivial statistics so the converter's batch-norm folding is exercised.
                layer.setParam("mean", Nd4j.rand(DataType.FLOAT, layer.getParam("mean").shape()).subi(0.5).muli(0.2));
                layer.setParam("var", Nd4j.rand(DataType.FLOAT, layer.getParam("var").shape()).addi(0.5));
            }
        }
        List<RgbImage> images = images(List.of("dress"), 1);
        try (TfliteTrunk fast = TfliteTrunk.compiled(graph, backbone, "random", 1);
             Dl4jTrunk reference = new Dl4jTrunk(graph, backbone.preprocessing(), backbone.featureSize(), "random")) {
            assertThat(fast.featureSize()).isEqualTo(2048);
            assertParity("inception-v3", fast, reference, images);
        }
    }

    private static void assertParity(String name, FeatureTrunk fast, FeatureTrunk reference, List<RgbImage> images) {
        for (RgbImage image : images) {
            float[] a = fast.features(image);
            float[] b = reference.features(image);
            double maxDiff = 0;
            double scale = 0;
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                scale = Math.max(scale, Math.abs(b[i]));
                dot += (double) a[i] * b[i];
                na += (double) a[i] * a[i];
                nb += (double) b[i] * b[i];
            }
            double cosine = dot / Math.sqrt(na * nb);
            System.out.printf(Locale.ROOT, "%s parity: max |d| %.3g, max |feature| %.3g, relative %.3g, cosine %.12f%n",
                    name, maxDiff, scale, maxDiff / scale, cosine);
            assertThat(scale).isGreaterThan(0);
            assertThat(maxDiff / scale).isLessThanOrEqualTo(MAX_RELATIVE_DIFF);
            assertThat(cosine).isGreaterThanOrEqualTo(MIN_COSINE);
        }
    }

    /** The first {@code perClass} validation images (by name) of each class. */
    private static List<RgbImage> images(List<String> classes, int perClass) throws Exception {
        List<RgbImage> images = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        for (String label : classes) {
            try (Stream<Path> files = Files.list(Shared.dataset().resolve("validation").resolve(label))) {
                for (Path f : files.sorted().limit(perClass).toList()) {
                    images.add(decoder.decode(Files.readAllBytes(f)));
                }
            }
        }
        return images;
    }
}
