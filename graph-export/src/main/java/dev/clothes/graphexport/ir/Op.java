package dev.clothes.graphexport.ir;

import java.util.List;

/**
 * One operation of the intermediate graph, in NHWC with weights in TFLite's layouts. Every op
 * reads named tensors and writes one tensor named after itself.
 */
public sealed interface Op {

    String name();

    List<String> inputs();

    /** weights [out, kh, kw, in] (OHWI); bias [out]. */
    record Conv2D(String name, String input, float[] weights, int[] shape, float[] bias, int stride,
                  Padding padding, Activation activation) implements Op {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** weights [1, kh, kw, channels] (depth multiplier 1); bias [channels]. */
    record DepthwiseConv2D(String name, String input, float[] weights, int[] shape, float[] bias, int stride,
                           Padding padding, Activation activation) implements Op {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    record Add(String name, String left, String right, Activation activation) implements Op {
        public List<String> inputs() {
            return List.of(left, right);
        }
    }

    /** Channel-axis concatenation. */
    record Concat(String name, List<String> inputs) implements Op {
    }

    record Pool2D(String name, String input, boolean max, int kernel, int stride, Padding padding) implements Op {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Mean over height and width: [1, h, w, c] to [1, c]. */
    record GlobalAveragePool(String name, String input) implements Op {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** weights [out, in]; bias [out]. */
    record FullyConnected(String name, String input, float[] weights, int[] shape, float[] bias,
                          Activation activation) implements Op {
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Zero padding of height and width: [1, h, w, c] to [1, top + h + bottom, left + w + right, c]. */
    record Pad(String name, String input, int top, int bottom, int left, int right) implements Op {
        public Pad {
            if (top < 0 || bottom < 0 || left < 0 || right < 0) {
                throw new IllegalArgumentException("padding must be 0 or more, got " + top + "/" + bottom + "/" + left
                        + "/" + right + " for " + name);
            }
        }

        public List<String> inputs() {
            return List.of(input);
        }
    }

    record Softmax(String name, String input) implements Op {
        public List<String> inputs() {
            return List.of(input);
        }
    }
}
