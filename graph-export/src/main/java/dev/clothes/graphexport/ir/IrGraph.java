package dev.clothes.graphexport.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A feed-forward image model in topological order: one NHWC float input {@code [1, h, w, c]},
 * one output (the last op's tensor) and optionally further outputs read from inside the graph
 * (e.g. the embedding before the classifier). Both writers (TFLite, ONNX) read only this.
 *
 * @param extraOutputs tensors, each written by an op, exposed as outputs after the main one
 */
public record IrGraph(String input, int height, int width, int channels, List<Op> ops, List<String> extraOutputs) {

    /** Names this conversion code (importer and writers) in provenance and feature cache keys. */
    public static final String CONVERTER = "converter 0.1.0";

    public IrGraph {
        ops = List.copyOf(ops);
        extraOutputs = List.copyOf(extraOutputs);
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("a graph needs at least one op");
        }
        List<String> produced = ops.stream().map(Op::name).toList();
        for (String extra : extraOutputs) {
            if (!produced.contains(extra) || extra.equals(produced.get(produced.size() - 1))) {
                throw new IllegalArgumentException("extra output " + extra + " is not an inner tensor of the graph");
            }
        }
    }

    public IrGraph(String input, int height, int width, int channels, List<Op> ops) {
        this(input, height, width, channels, ops, List.of());
    }

    public String output() {
        return ops.get(ops.size() - 1).name();
    }

    /** The main output, then the extra ones. */
    public List<String> outputs() {
        List<String> all = new ArrayList<>(List.of(output()));
        all.addAll(extraOutputs);
        return all;
    }
}
