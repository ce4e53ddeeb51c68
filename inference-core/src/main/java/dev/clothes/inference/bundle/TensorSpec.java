package dev.clothes.inference.bundle;

import java.util.List;
import java.util.Objects;

/** Name, shape, element type and (for integer tensors) quantization of a model input or output. */
public record TensorSpec(String name, List<Integer> shape, TensorType type, Quantization quantization) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(shape);
        Objects.requireNonNull(type, "type");
        if (type.isQuantized() && quantization == null) {
            throw new IllegalArgumentException("tensor " + name + " is " + type + " but has no quantization");
        }
    }

    /** Number of elements (product of the shape). */
    public int elementCount() {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
