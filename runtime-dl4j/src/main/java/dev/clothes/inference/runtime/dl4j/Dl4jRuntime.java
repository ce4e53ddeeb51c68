package dev.clothes.inference.runtime.dl4j;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelSignature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a bundle's DL4J {@link ComputationGraph} (the trainer's output). Calls are serialised. The
 * embedding is the activation of the vertex the bundle names, read in the same forward pass.
 */
public final class Dl4jRuntime implements ModelRuntime {

    private final ComputationGraph graph;
    private final ModelSignature signature;
    private final List<String> read;

    /** @param signature its embedding names the vertex to read as the embedding (or is null) */
    private Dl4jRuntime(ComputationGraph graph, ModelSignature signature) {
        this.graph = graph;
        this.signature = signature;
        this.read = signature.embedding() == null ? List.of()
                : List.of(graph.getConfiguration().getNetworkOutputs().get(0), signature.embedding().name());
    }

    public static Dl4jRuntime open(ModelBundle bundle) {
        try {
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(
                    new ByteArrayInputStream(bundle.modelBytes()), false);
            TensorSpec embedding = bundle.manifest().embedding();
            if (embedding != null && graph.getVertex(embedding.name()) == null) {
                throw new BundleException(bundle.source() + ": bundle.json names the embedding " + embedding.name()
                        + " but the graph has no such vertex");
            }
            return new Dl4jRuntime(graph, new ModelSignature(bundle.manifest().input(), bundle.manifest().output(),
                    embedding));
        } catch (BundleException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BundleException(bundle.source() + ": the model file is not a DL4J ComputationGraph: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public ModelOutputs infer(float[] values) {
        return inferBatch(new float[][] {values})[0];
    }

    /** All examples in one forward pass. */
    @Override
    public synchronized ModelOutputs[] inferBatch(float[][] inputs) {
        if (inputs.length == 0) {
            return new ModelOutputs[0];
        }
        long[] shape = signature.input().shape().stream().mapToLong(Integer::longValue).toArray();
        int per = signature.input().elementCount();
        float[] values = new float[inputs.length * per];
        for (int i = 0; i < inputs.length; i++) {
            signature.checkInput(inputs[i]);
            System.arraycopy(inputs[i], 0, values, i * per, per);
        }
        shape[0] = inputs.length;
        INDArray x = Nd4j.create(values, shape, 'c');
        INDArray[] out = signature.embedding() == null ? new INDArray[] {graph.outputSingle(false, x)}
                : graph.output(read, false, new INDArray[] {x}, null);
        float[][] scores = out[0].toFloatMatrix();
        float[][] embeddings = signature.embedding() == null ? null : out[1].reshape(inputs.length, -1).toFloatMatrix();
        ModelOutputs[] outputs = new ModelOutputs[inputs.length];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = signature.outputs(scores[i], embeddings == null ? null : embeddings[i]);
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
