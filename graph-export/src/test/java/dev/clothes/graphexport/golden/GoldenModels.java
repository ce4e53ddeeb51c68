package dev.clothes.graphexport.golden;

import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.onnx.OnnxWriter;
import dev.clothes.graphexport.tflite.TfliteWriter;
import dev.clothes.graphexport.tflite.WeightFormat;
import dev.clothes.testing.Golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generates the golden models in test-fixtures ({@code dev/clothes/testing/golden}): a fixed-seed
 * MobileNet-style graph saved as DL4J, exported to TFLite (float32) and ONNX, and its DL4J output for
 * {@link Golden#input()}.
 * Regenerate only on purpose, from the checkout root:
 * <pre>
 * ./mvnw -q -pl graph-export -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp graph-export/target/test-classes:graph-export/target/classes:$(cat /tmp/cp.txt) \
 *     dev.clothes.graphexport.golden.GoldenModels test-fixtures/src/main/resources/dev/clothes/testing/golden
 * </pre>
 */
public final class GoldenModels {

    static final int SIZE = Golden.SIZE;

    private GoldenModels() {
    }

    static ComputationGraph graph() {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(20261124).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(SIZE, SIZE, 3))
                .addLayer("Conv1", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "input_1")
                .addLayer("bn_Conv1", new BatchNormalization.Builder().eps(1e-3).useLogStd(false).build(), "Conv1")
                .addLayer("depthwise", new DepthwiseConvolution2D.Builder().kernelSize(3, 3).depthMultiplier(1)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU6).build(), "bn_Conv1")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "depthwise")
                .addLayer("predictions", new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("predictions");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        ComputationGraph net = graph();
        IrGraph ir = Dl4jImporter.importGraph(net, SIZE, SIZE, 3);
        List<String> labels = Golden.LABELS;
        Files.write(out.resolve("tiny.tflite"), TfliteWriter.write(ir, WeightFormat.FLOAT32, "golden", labels));
        Files.write(out.resolve("tiny.onnx"), OnnxWriter.write(ir, "golden", labels));
        ModelSerializer.writeModel(net, out.resolve("tiny-dl4j.zip").toFile(), false);
        float[] expected = net.outputSingle(false, Nd4j.create(Golden.inputNchw(), new long[] {1, 3, SIZE, SIZE}, 'c'))
                .toFloatVector();
        StringBuilder text = new StringBuilder();
        for (float v : expected) {
            text.append(String.format(Locale.ROOT, "%.8f%n", v));
        }
        Files.writeString(out.resolve("expected-output.txt"), text.toString());
        System.out.println("wrote " + out + ": " + java.util.Arrays.stream(out.toFile().list()).sorted()
                .collect(Collectors.joining(", ")));
    }
}
