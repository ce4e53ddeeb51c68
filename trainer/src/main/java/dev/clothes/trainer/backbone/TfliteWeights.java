package dev.clothes.trainer.backbone;

import dev.clothes.graphexport.tflite.TfliteTensors;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;

/**
 * Reads the convolution weights of an ImageNet TFLite model (uint8/int8 quantized or float) and
 * loads them into a Keras-named DL4J graph. TFLite has batch norm folded into each convolution's
 * weights and bias; the DL4J graph keeps its BN layers, set to the identity plus that bias.
 */
public final class TfliteWeights {

    /** One CONV_2D or DEPTHWISE_CONV_2D of the file, dequantized; {@code shape} as TFLite stores it (OHWI). */
    public record Convolution(String name, boolean depthwise, int[] shape, float[] weights, float[] bias) {
    }

    private TfliteWeights() {
    }

    /** Every convolution in operator order (the last one is the classifier of a full model). */
    public static List<Convolution> convolutions(byte[] tflite) {
        Model model = TfliteTensors.model(tflite);
        SubGraph graph = model.subgraphs(0);
        List<Convolution> convs = new ArrayList<>();
        for (int i = 0; i < graph.operatorsLength(); i++) {
            Operator op = graph.operators(i);
            int builtin = TfliteTensors.builtinCode(model, op);
            if (builtin != BuiltinOperator.CONV_2D && builtin != BuiltinOperator.DEPTHWISE_CONV_2D) {
                continue;
            }
            Tensor weights = graph.tensors(op.inputs(1));
            int[] shape = TfliteTensors.shape(weights);
            float[] w = TfliteTensors.dequantize(model, weights);
            float[] b = op.inputsLength() > 2 && op.inputs(2) >= 0
                    ? TfliteTensors.dequantize(model, graph.tensors(op.inputs(2)))
                    : new float[builtin == BuiltinOperator.CONV_2D ? shape[0] : shape[3]];
            convs.add(new Convolution(weights.name(), builtin == BuiltinOperator.DEPTHWISE_CONV_2D, shape, w, b));
        }
        return convs;
    }

    /**
     * Loads {@code convs} into the graph's convolution + batch-norm pairs, in order.
     *
     * @throws IllegalArgumentException when counts or shapes differ (a file of another architecture)
     */
    public static void load(ComputationGraph graph, List<String[]> convWithBatchNorm, List<Convolution> convs,
                            double bnEpsilon) {
        if (convs.size() < convWithBatchNorm.size()) {
            throw new IllegalArgumentException("the TFLite file has " + convs.size() + " convolutions; the "
                    + "architecture needs " + convWithBatchNorm.size());
        }
        for (int i = 0; i < convWithBatchNorm.size(); i++) {
            String convName = convWithBatchNorm.get(i)[0];
            Convolution c = convs.get(i);
            Layer conv = graph.getLayer(convName);
            INDArray target = conv.getParam("W");
            INDArray w = c.depthwise() ? depthwiseToDl4j(c) : convToDl4j(c);
            if (!java.util.Arrays.equals(target.shape(), w.shape())) {
                throw new IllegalArgumentException("layer " + convName + " expects weights "
                        + java.util.Arrays.toString(target.shape()) + " but TFLite tensor " + c.name() + " is "
                        + java.util.Arrays.toString(c.shape()));
            }
            conv.setParam("W", w);
            Layer bn = graph.getLayer(convWithBatchNorm.get(i)[1]);
            int channels = c.bias().length;
            bn.setParam("gamma", Nd4j.ones(1, channels));
            bn.setParam("beta", Nd4j.create(c.bias(), 1, channels));
            bn.setParam("mean", Nd4j.zeros(1, channels));
            bn.setParam("var", Nd4j.valueArrayOf(new long[] {1, channels}, 1 - bnEpsilon));
        }
    }

    /** OHWI to DL4J's OIHW. */
    static INDArray convToDl4j(Convolution c) {
        int o = c.shape()[0];
        int h = c.shape()[1];
        int w = c.shape()[2];
        int in = c.shape()[3];
        return Nd4j.create(c.weights(), new long[] {o, h, w, in}, 'c').permute(0, 3, 1, 2).dup('c');
    }

    /** TFLite [1, H, W, C] to DL4J depthwise [H, W, C, multiplier = 1]: the same order. */
    static INDArray depthwiseToDl4j(Convolution c) {
        return Nd4j.create(c.weights(), new long[] {c.shape()[1], c.shape()[2], c.shape()[3], 1}, 'c');
    }
}
