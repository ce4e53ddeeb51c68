package dev.clothes.graphexport.tflite;

import dev.clothes.graphexport.OnnxRuns;
import dev.clothes.graphexport.dl4j.Dl4jBuilder;
import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.ir.Op;
import dev.clothes.graphexport.onnx.OnnxWriter;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;

import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A TFLite file of every supported operator, with uint8 and int8 weights, read into the intermediate
 * graph and built in DL4J, must compute what the TFLite runtime computes from the file; written back
 * by graph-export (TFLite and ONNX), the same again.
 */
class TfliteReaderTest {

    private static final float[] IMAGE = image();

    private static float[] image() {
        Random random = new Random(9);
        float[] nhwc = new float[8 * 8 * 3];
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = random.nextFloat() * 2 - 1;
        }
        return nhwc;
    }

    @Test
    void everyOperatorImportsAsTheRuntimeComputesIt() {
        byte[] file = TinyTfliteFile.write(true);
        IrGraph ir = TfliteReader.read(file);
        assertThat(ir.ops().stream().map(op -> op.getClass().getSimpleName()).distinct().toList()).containsExactlyInAnyOrder(
                "Pad", "Conv2D", "DepthwiseConv2D", "Add", "Pool2D", "Concat", "GlobalAveragePool", "FullyConnected",
                "Softmax");
        assertThat(ir.output()).isEqualTo("probabilities");

        float[] expected = runTflite(file);
        assertThat(expected).hasSize(6);
        ComputationGraph dl4j = dl4j(ir);
        try {
            INDArray nchw = Nd4j.create(IMAGE, new long[] {1, 8, 8, 3}, 'c').permute(0, 3, 1, 2).dup('c');
            float[] got = dl4j.outputSingle(false, nchw).toFloatVector();
            assertThat(maxDifference(expected, got)).as("DL4J vs the TFLite runtime on the file").isLessThan(1e-5);

            // graph-export writes the DL4J graph back: TFLite and ONNX give the same answer.
            IrGraph exported = Dl4jImporter.importGraph(dl4j, 8, 8, 3);
            assertThat(maxDifference(expected, runTflite(TfliteWriter.write(exported, "round trip"))))
                    .as("graph-export's TFLite").isLessThan(1e-5);
            assertThat(maxDifference(expected, OnnxRuns.run(OnnxWriter.write(exported, "round trip"),
                    nchw, "in"))).as("graph-export's ONNX").isLessThan(1e-5);
        } finally {
            dl4j.close();
        }
    }

    @Test
    void weightsReadDirectlyEqualWeightsBehindDequantize() {
        IrGraph direct = TfliteReader.read(TinyTfliteFile.write(false));
        IrGraph dequantized = TfliteReader.read(TinyTfliteFile.write(true));
        assertThat(direct.ops()).hasSameSizeAs(dequantized.ops());
        for (int i = 0; i < direct.ops().size(); i++) {
            Op a = direct.ops().get(i);
            Op b = dequantized.ops().get(i);
            assertThat(a.name()).isEqualTo(b.name());
            if (a instanceof Op.Conv2D c) {
                assertThat(c.weights()).containsExactly(((Op.Conv2D) b).weights());
                assertThat(c.bias()).containsExactly(((Op.Conv2D) b).bias());
            } else if (a instanceof Op.DepthwiseConv2D d) {
                assertThat(d.weights()).containsExactly(((Op.DepthwiseConv2D) b).weights());
            } else if (a instanceof Op.FullyConnected f) {
                assertThat(f.weights()).containsExactly(((Op.FullyConnected) b).weights());
            }
        }
        // uint8 with zero point 100 and scale 0.01: the first conv's weights are (q - 100) / 100.
        Op.Conv2D conv = (Op.Conv2D) direct.ops().get(1);
        for (float w : conv.weights()) {
            assertThat(Math.abs(w * 100 - Math.round(w * 100))).isLessThan(1e-4f);
        }
    }

    @Test
    void readsUpToAnInnerTensor() {
        byte[] file = TinyTfliteFile.write(true);
        assertThat(TfliteReader.pooledTensor(file)).isEqualTo("pooled");
        IrGraph trunk = TfliteReader.read(file, "pooled");
        assertThat(trunk.output()).isEqualTo("pooled");
        assertThat(trunk.ops().get(trunk.ops().size() - 1)).isInstanceOf(Op.GlobalAveragePool.class);
        assertThat(trunk.ops()).noneMatch(op -> op.name().startsWith("fc") || op.name().startsWith("mean"));
        ComputationGraph dl4j = dl4j(trunk);
        assertThat(dl4j.outputSingle(false, Nd4j.rand(DataType.FLOAT, 1, 3, 8, 8)).shape()).containsExactly(1, 8);
        dl4j.close();
    }

    @Test
    void unsupportedOperatorsAreRefusedByName() {
        byte[] notTflite = "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TfliteReader.read(notTflite)).hasMessageContaining("no TFL3 identifier");
        byte[] file = TinyTfliteFile.write(true);
        assertThatThrownBy(() -> TfliteReader.read(file, "no-such-tensor")).hasMessageContaining("no tensor 'no-such-tensor'");
        // A fused tanh has no exact equivalent: refused, naming the operator, its output and why.
        assertThatThrownBy(() -> TfliteReader.read(TinyTfliteFile.writeWithTanh()))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("CONV_2D (output conv;conv/Relu6)").hasMessageContaining("fused activation TANH");
    }

    private static ComputationGraph dl4j(IrGraph ir) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(ir.height(), ir.width(), ir.channels()));
        g.setOutputs(Dl4jBuilder.addTo(g, ir, "in"));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        Dl4jBuilder.loadWeights(graph, ir);
        return graph;
    }

    private static float[] runTflite(byte[] model) {
        try (TfliteRuntime runtime = new TfliteRuntime(model, new RuntimeOptions(1, 1), "tiny")) {
            return runtime.run(IMAGE);
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
