package dev.clothes.inference.runtime.dl4j;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.TensorChecks;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs a bundle's DL4J {@link ComputationGraph} (the trainer's output). Calls are serialised. */
public final class Dl4jRuntime implements ModelRuntime {

    private final ComputationGraph graph;
    private final TensorSpec input;
    private final TensorSpec output;

    public Dl4jRuntime(ComputationGraph graph, TensorSpec input, TensorSpec output) {
        this.graph = graph;
        this.input = input;
        this.output = output;
    }

    public static Dl4jRuntime open(ModelBundle bundle) {
        try {
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(
                    new ByteArrayInputStream(bundle.modelBytes()), false);
            return new Dl4jRuntime(graph, bundle.manifest().input(), bundle.manifest().output());
        } catch (IOException | RuntimeException e) {
            throw new BundleException(bundle.source() + ": the model file is not a DL4J ComputationGraph: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public TensorSpec input() {
        return input;
    }

    @Override
    public TensorSpec output() {
        return output;
    }

    @Override
    public synchronized float[] run(float[] values) {
        TensorChecks.checkInput(input, values);
        long[] shape = input.shape().stream().mapToLong(Integer::longValue).toArray();
        INDArray x = Nd4j.create(values, shape, 'c');
        return TensorChecks.checkOutput(output, graph.outputSingle(false, x).toFloatVector());
    }

    /** All examples in one forward pass. */
    @Override
    public synchronized float[][] runBatch(float[][] inputs) {
        if (inputs.length == 0) {
            return new float[0][];
        }
        long[] shape = input.shape().stream().mapToLong(Integer::longValue).toArray();
        int per = input.elementCount();
        float[] values = new float[inputs.length * per];
        for (int i = 0; i < inputs.length; i++) {
            TensorChecks.checkInput(input, inputs[i]);
            System.arraycopy(inputs[i], 0, values, i * per, per);
        }
        shape[0] = inputs.length;
        float[][] outputs = graph.outputSingle(false, Nd4j.create(values, shape, 'c')).toFloatMatrix();
        for (float[] one : outputs) {
            TensorChecks.checkOutput(output, one);
        }
        return outputs;
    }

    public ComputationGraph graph() {
        return graph;
    }

    @Override
    public void close() {
        graph.close();
    }
}
