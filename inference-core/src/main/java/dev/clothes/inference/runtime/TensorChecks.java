package dev.clothes.inference.runtime;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.TensorSpec;

/**
 * The checks every {@link ModelRuntime} makes at its edges, written once so a wrong tensor fails
 * with the same message whichever engine runs the model.
 */
public final class TensorChecks {

    private TensorChecks() {
    }

    /** Before a run: a wrong length is the caller's bug, not something an engine should guess at. */
    public static void checkInput(TensorSpec input, float[] values) {
        if (values.length != input.elementCount()) {
            throw new IllegalArgumentException("input has " + values.length + " values; the model takes "
                    + input.elementCount() + " " + input.shape());
        }
    }

    /** After a run: a model that answers more or fewer values than bundle.json declares is a broken bundle. */
    public static float[] checkOutput(TensorSpec output, float[] values) {
        if (values.length != output.elementCount()) {
            throw new BundleException("the model answered " + values.length + " values but bundle.json says output "
                    + output.shape() + " (" + output.elementCount() + " values)");
        }
        return values;
    }

    /** After a run: the embedding has the length bundle.json declares. */
    public static float[] checkEmbedding(TensorSpec embedding, float[] values) {
        if (values.length != embedding.elementCount()) {
            throw new BundleException("the model answered an embedding of " + values.length + " values but bundle.json "
                    + "says " + embedding.name() + " " + embedding.shape());
        }
        return values;
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
