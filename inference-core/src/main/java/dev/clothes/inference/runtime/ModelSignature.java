package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.TensorSpec;

import java.util.Objects;

/**
 * The tensors a loaded model takes and gives, and the checks every {@link ModelRuntime} makes at its
 * edges, written once so a wrong tensor fails with the same message whichever engine runs the model.
 *
 * @param input     the one input
 * @param output    the scores
 * @param embedding the second output (the head's input), or null when the bundle declares none
 */
public record ModelSignature(TensorSpec input, TensorSpec output, TensorSpec embedding) {

    public ModelSignature {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
    }

    /** Before a run: a wrong length is the caller's bug, not something an engine should guess at. */
    public void checkInput(float[] values) {
        if (values.length != input.elementCount()) {
            throw new IllegalArgumentException("input has " + values.length + " values; the model takes "
                    + input.elementCount() + " " + input.shape());
        }
    }

    /**
     * After a run: a model that answers more or fewer values than bundle.json declares is a broken bundle.
     *
     * @param embedding the embedding's values, or null when the signature has none
     */
    public ModelOutputs outputs(float[] scores, float[] embedding) {
        if (scores.length != output.elementCount()) {
            throw new BundleException("the model answered " + scores.length + " values but bundle.json says output "
                    + output.shape() + " (" + output.elementCount() + " values)");
        }
        if (embedding != null && embedding.length != this.embedding.elementCount()) {
            throw new BundleException("the model answered an embedding of " + embedding.length + " values but "
                    + "bundle.json says " + this.embedding.name() + " " + this.embedding.shape());
        }
        return new ModelOutputs(scores, embedding);
    }

    /** At open: the tensors the model file declares itself agree with its bundle.json. */
    public static void checkDeclared(ModelBundle bundle, TensorSpec modelInput, TensorSpec modelOutput) {
        TensorSpec input = bundle.manifest().input();
        if (!modelInput.shape().equals(input.shape()) || modelInput.type() != input.type()) {
            throw new BundleException(bundle.source() + ": bundle.json says input " + input.shape() + " " + input.type()
                    + " but the model has " + modelInput.shape() + " " + modelInput.type());
        }
        TensorSpec output = bundle.manifest().output();
        if (modelOutput.elementCount() != output.elementCount()) {
            throw new BundleException(bundle.source() + ": bundle.json says output " + output.shape()
                    + " but the model has " + modelOutput.shape());
        }
    }
}
