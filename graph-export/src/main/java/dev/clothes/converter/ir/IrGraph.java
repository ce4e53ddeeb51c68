package dev.clothes.converter.ir;

import java.util.List;

/**
 * A feed-forward image model in topological order: one NHWC float input {@code [1, h, w, c]},
 * one output (the last op's tensor). Both writers (TFLite, ONNX) read only this.
 */
public record IrGraph(String input, int height, int width, int channels, List<Op> ops) {

    /** Names this conversion code (importer and writers) in provenance and feature cache keys. */
    public static final String CONVERTER = "converter 0.1.0";

    public IrGraph {
        ops = List.copyOf(ops);
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("a graph needs at least one op");
        }
    }

    public String output() {
        return ops.get(ops.size() - 1).name();
    }
}
