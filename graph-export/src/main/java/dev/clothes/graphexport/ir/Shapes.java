package dev.clothes.graphexport.ir;

import java.util.HashMap;
import java.util.Map;

/**
 * Tensor shapes of an {@link IrGraph}: {@code [1, h, w, c]} for images, {@code [1, c]} after global
 * pooling or a fully connected op. The writers and the DL4J builder agree on them through here.
 */
public final class Shapes {

    private Shapes() {
    }

    /** Every tensor's shape, the input's included. */
    public static Map<String, int[]> of(IrGraph graph) {
        Map<String, int[]> shapes = new HashMap<>();
        shapes.put(graph.input(), new int[] {1, graph.height(), graph.width(), graph.channels()});
        for (Op op : graph.ops()) {
            shapes.put(op.name(), output(op, shapes));
        }
        return shapes;
    }

    /** The shape {@code op} writes, given the shapes of its inputs. */
    public static int[] output(Op op, Map<String, int[]> known) {
        int[] in = known.get(op.inputs().get(0));
        if (in == null) {
            throw new IllegalArgumentException(op.name() + " reads " + op.inputs().get(0) + " before it is produced");
        }
        if (op instanceof Op.Conv2D c) {
            return new int[] {1, c.padding().outputSize(in[1], c.shape()[1], c.stride()),
                c.padding().outputSize(in[2], c.shape()[2], c.stride()), c.shape()[0]};
        }
        if (op instanceof Op.DepthwiseConv2D d) {
            return new int[] {1, d.padding().outputSize(in[1], d.shape()[1], d.stride()),
                d.padding().outputSize(in[2], d.shape()[2], d.stride()), d.shape()[3]};
        }
        if (op instanceof Op.Pool2D p) {
            return new int[] {1, p.padding().outputSize(in[1], p.kernel(), p.stride()),
                p.padding().outputSize(in[2], p.kernel(), p.stride()), in[3]};
        }
        if (op instanceof Op.Pad p) {
            return new int[] {1, in[1] + p.top() + p.bottom(), in[2] + p.left() + p.right(), in[3]};
        }
        if (op instanceof Op.Concat c) {
            int[] out = in.clone();
            int axis = out.length - 1;
            out[axis] = c.inputs().stream().mapToInt(i -> known.get(i)[axis]).sum();
            return out;
        }
        if (op instanceof Op.GlobalAveragePool) {
            return new int[] {1, in[in.length - 1]};
        }
        if (op instanceof Op.FullyConnected f) {
            return new int[] {1, f.shape()[0]};
        }
        return in.clone(); // Add, Softmax: elementwise
    }
}
