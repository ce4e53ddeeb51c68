package dev.clothes.graphexport.tflite;

import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;

import static org.assertj.core.api.Assertions.assertThat;

/** float16 and int8 weight variants: stored types, sizes, and answers close to float32. */
class WeightFormatTest {

    private static ComputationGraph net() {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(16, 16, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(64).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU6).build(), "in")
                .addLayer("dw", new DepthwiseConvolution2D.Builder().kernelSize(3, 3).depthMultiplier(1)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU6).build(), "conv")
                .addLayer("pw", new ConvolutionLayer.Builder(1, 1).nOut(256).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU6).build(), "dw")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "pw")
                .addLayer("predictions", new OutputLayer.Builder().nOut(5).activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("predictions");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static Map<String, Byte> weightTypes(byte[] tflite) {
        SubGraph graph = Model.getRootAsModel(ByteBuffer.wrap(tflite).order(ByteOrder.LITTLE_ENDIAN)).subgraphs(0);
        Map<String, Byte> types = new HashMap<>();
        for (int i = 0; i < graph.tensorsLength(); i++) {
            Tensor t = graph.tensors(i);
            types.put(t.name(), t.type());
        }
        return types;
    }

    @Test
    void storedTypesSizesAndAnswers() {
        ComputationGraph net = net();
        IrGraph ir = Dl4jImporter.importGraph(net, 16, 16, 3);
        List<String> labels = List.of("a", "b", "c", "d", "e");
        byte[] f32 = TfliteWriter.write(ir, WeightFormat.FLOAT32, "t", labels);
        byte[] f16 = TfliteWriter.write(ir, WeightFormat.FLOAT16, "t", labels);
        byte[] i8 = TfliteWriter.write(ir, WeightFormat.INT8, "t", labels);

        Model model = Model.getRootAsModel(ByteBuffer.wrap(f32).order(ByteOrder.LITTLE_ENDIAN));
        assertThat(model.signatureDefs(0).signatureKey()).isEqualTo("serving_default");
        assertThat(model.signatureDefs(0).inputs(0).name()).isEqualTo("in");
        assertThat(model.signatureDefs(0).outputs(0).name()).isEqualTo("predictions");
        assertThat(model.metadata(0).name()).isEqualTo("labels");
        ByteBuffer text = model.buffers((int) model.metadata(0).buffer()).dataAsByteBuffer();
        byte[] bytes = new byte[text.remaining()];
        text.get(bytes);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a\nb\nc\nd\ne");

        assertThat(weightTypes(f16)).containsEntry("pw/weights/float16", TensorType.FLOAT16)
                .containsEntry("pw/weights", TensorType.FLOAT32).containsEntry("pw/bias", TensorType.FLOAT32);
        assertThat(weightTypes(i8)).containsEntry("pw/weights", TensorType.INT8).containsEntry("dw/weights", TensorType.INT8)
                .containsEntry("predictions/logits/weights", TensorType.INT8).containsEntry("pw/bias", TensorType.FLOAT32);
        assertThat(f16.length).isLessThan(f32.length * 6 / 10);
        // Scales, zero points, float biases and flatbuffer overhead weigh more in a tiny model; the real
        // MobileNetV2 export is 1/3.6 of float32 (reports/).
        assertThat(i8.length).isLessThan((int) (f32.length / 2.5));

        float[] nhwc = new float[16 * 16 * 3];
        Random random = new Random(1);
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = random.nextFloat() * 2 - 1;
        }
        float[] want = net.outputSingle(false, Nd4j.create(nhwc, new long[] {1, 16, 16, 3}, 'c').permute(0, 3, 1, 2)
                .dup('c')).toFloatVector();
        assertThat(maxDiff(run(f16, nhwc), want)).isLessThan(2e-3);
        assertThat(maxDiff(run(i8, nhwc), want)).isLessThan(3e-2);
    }

    @Test
    void halfPrecisionRounding() {
        assertThat(Half.fromFloat(1f)).isEqualTo((short) 0x3C00);
        assertThat(Half.fromFloat(-2f)).isEqualTo((short) 0xC000);
        assertThat(Half.fromFloat(65504f)).isEqualTo((short) 0x7BFF);
        assertThat(Half.fromFloat(1e6f)).isEqualTo((short) 0x7C00);
        assertThat(Half.fromFloat(5.9604645e-8f)).isEqualTo((short) 0x0001); // smallest subnormal
        assertThat(Half.fromFloat(0f)).isEqualTo((short) 0);
        assertThat(Half.fromFloat(0.1f)).isEqualTo((short) 0x2E66); // 0.0999755859375, the nearest half
    }

    private static float[] run(byte[] tflite, float[] input) {
        try (TfliteRuntime runtime = new TfliteRuntime(tflite, new RuntimeOptions(1, 1), "variant")) {
            return runtime.run(input);
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
