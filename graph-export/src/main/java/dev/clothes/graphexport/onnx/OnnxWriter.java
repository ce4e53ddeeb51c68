package dev.clothes.graphexport.onnx;

import com.google.protobuf.ByteString;
import dev.clothes.graphexport.ir.Activation;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.ir.Op;
import dev.clothes.graphexport.ir.Padding;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.clothes.graphexport.onnx.proto.Onnx.AttributeProto;
import dev.clothes.graphexport.onnx.proto.Onnx.GraphProto;
import dev.clothes.graphexport.onnx.proto.Onnx.ModelProto;
import dev.clothes.graphexport.onnx.proto.Onnx.NodeProto;
import dev.clothes.graphexport.onnx.proto.Onnx.OperatorSetIdProto;
import dev.clothes.graphexport.onnx.proto.Onnx.StringStringEntryProto;
import dev.clothes.graphexport.onnx.proto.Onnx.TensorProto;
import dev.clothes.graphexport.onnx.proto.Onnx.TensorShapeProto;
import dev.clothes.graphexport.onnx.proto.Onnx.TypeProto;
import dev.clothes.graphexport.onnx.proto.Onnx.ValueInfoProto;

/**
 * Writes an {@link IrGraph} as an ONNX model (opset 13) in NCHW: convolution weights go from
 * OHWI to OIHW, TF "SAME" padding becomes explicit pads (extra row/column at the bottom/right),
 * ReLU6 becomes Clip(0, 6), and global pooling is followed by Flatten.
 */
public final class OnnxWriter {

    public static final int OPSET = 13;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, int[]> shapes = new HashMap<>(); // NCHW
    private int counter;

    private OnnxWriter() {
    }

    public static byte[] write(IrGraph ir, String description) {
        return write(ir, description, List.of());
    }

    /** @param labels class names in output order, stored as the "labels" metadata property (may be empty) */
    public static byte[] write(IrGraph ir, String description, List<String> labels) {
        return new OnnxWriter().build(ir, description, labels);
    }

    private byte[] build(IrGraph ir, String description, List<String> labels) {
        graph.setName("main");
        graph.addInput(valueInfo(ir.input(), new int[] {1, ir.channels(), ir.height(), ir.width()}));
        shapes.put(ir.input(), new int[] {1, ir.channels(), ir.height(), ir.width()});
        for (Op op : ir.ops()) {
            add(op);
        }
        for (String output : ir.outputs()) {
            graph.addOutput(valueInfo(output, shapes.get(output)));
        }
        ModelProto.Builder model = ModelProto.newBuilder();
        if (!labels.isEmpty()) {
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey("labels")
                    .setValue(String.join("\n", labels)));
        }
        return model
                .setIrVersion(7)
                .setProducerName("clothes-classifier converter")
                .setProducerVersion("0.1.0")
                .setDocString(description)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private void add(Op op) {
        if (op instanceof Op.Conv2D c) {
            int[] s = c.shape(); // OHWI
            float[] oihw = permuteOhwiToOihw(c.weights(), s);
            conv(c.name(), c.input(), oihw, new int[] {s[0], s[3], s[1], s[2]}, c.bias(), c.stride(), c.padding(), 1,
                    c.activation());
        } else if (op instanceof Op.DepthwiseConv2D d) {
            int[] s = d.shape(); // [1, kh, kw, c]
            int channels = s[3];
            float[] cihw = new float[d.weights().length];
            for (int h = 0; h < s[1]; h++) {
                for (int w = 0; w < s[2]; w++) {
                    for (int ch = 0; ch < channels; ch++) {
                        cihw[(ch * s[1] + h) * s[2] + w] = d.weights()[(h * s[2] + w) * channels + ch];
                    }
                }
            }
            conv(d.name(), d.input(), cihw, new int[] {channels, 1, s[1], s[2]}, d.bias(), d.stride(), d.padding(),
                    channels, d.activation());
        } else if (op instanceof Op.Add a) {
            String sum = a.activation() == Activation.NONE ? a.name() : a.name() + "/sum";
            node("Add", List.of(a.left(), a.right()), sum);
            shapes.put(sum, shapes.get(a.left()));
            activation(sum, a.name(), a.activation());
        } else if (op instanceof Op.Concat c) {
            int[] out = shapes.get(c.inputs().get(0)).clone();
            out[1] = c.inputs().stream().mapToInt(i -> shapes.get(i)[1]).sum();
            graph.addNode(NodeProto.newBuilder().setOpType("Concat").addAllInput(c.inputs()).addOutput(c.name())
                    .setName(c.name()).addAttribute(intAttr("axis", 1)));
            shapes.put(c.name(), out);
        } else if (op instanceof Op.Pool2D p) {
            int[] in = shapes.get(p.input());
            int[] pads = pads(in, p.kernel(), p.kernel(), p.stride(), p.padding());
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(p.max() ? "MaxPool" : "AveragePool")
                    .addInput(p.input()).addOutput(p.name()).setName(p.name())
                    .addAttribute(intsAttr("kernel_shape", p.kernel(), p.kernel()))
                    .addAttribute(intsAttr("strides", p.stride(), p.stride()))
                    .addAttribute(intsAttr("pads", pads));
            if (!p.max()) {
                n.addAttribute(intAttr("count_include_pad", 0));
            }
            graph.addNode(n);
            shapes.put(p.name(), new int[] {1, in[1], p.padding().outputSize(in[2], p.kernel(), p.stride()),
                p.padding().outputSize(in[3], p.kernel(), p.stride())});
        } else if (op instanceof Op.Pad p) {
            int[] in = shapes.get(p.input());
            // ONNX pads: every axis' start, then every axis' end (NCHW).
            String pads = int64Initializer(p.name() + "/pads", new long[] {0, 0, p.top(), p.left(), 0, 0, p.bottom(),
                p.right()});
            graph.addNode(NodeProto.newBuilder().setOpType("Pad").addInput(p.input()).addInput(pads)
                    .addOutput(p.name()).setName(p.name())
                    .addAttribute(AttributeProto.newBuilder().setName("mode").setType(AttributeProto.AttributeType.STRING)
                            .setS(ByteString.copyFromUtf8("constant"))));
            shapes.put(p.name(), new int[] {1, in[1], in[2] + p.top() + p.bottom(), in[3] + p.left() + p.right()});
        } else if (op instanceof Op.GlobalAveragePool g) {
            String pooled = g.name() + "/pooled";
            node("GlobalAveragePool", List.of(g.input()), pooled);
            graph.addNode(NodeProto.newBuilder().setOpType("Flatten").addInput(pooled).addOutput(g.name())
                    .setName(g.name()).addAttribute(intAttr("axis", 1)));
            shapes.put(g.name(), new int[] {1, shapes.get(g.input())[1]});
        } else if (op instanceof Op.FullyConnected f) {
            String w = initializer(f.name() + "/weights", f.shape(), f.weights());
            String b = initializer(f.name() + "/bias", new int[] {f.bias().length}, f.bias());
            String out = f.activation() == Activation.NONE ? f.name() : f.name() + "/linear";
            graph.addNode(NodeProto.newBuilder().setOpType("Gemm").addInput(f.input()).addInput(w).addInput(b)
                    .addOutput(out).setName(out).addAttribute(intAttr("transB", 1)));
            shapes.put(out, new int[] {1, f.shape()[0]});
            activation(out, f.name(), f.activation());
        } else if (op instanceof Op.Softmax s) {
            graph.addNode(NodeProto.newBuilder().setOpType("Softmax").addInput(s.input()).addOutput(s.name())
                    .setName(s.name()).addAttribute(intAttr("axis", 1)));
            shapes.put(s.name(), shapes.get(s.input()));
        } else {
            throw new IllegalArgumentException("no ONNX op for " + op.getClass().getSimpleName());
        }
    }

    private void conv(String name, String input, float[] weights, int[] weightShape, float[] bias, int stride,
                      Padding padding, int group, Activation activation) {
        int[] in = shapes.get(input);
        int kh = weightShape[2];
        int kw = weightShape[3];
        String w = initializer(name + "/weights", weightShape, weights);
        String b = initializer(name + "/bias", new int[] {bias.length}, bias);
        String out = activation == Activation.NONE ? name : name + "/conv";
        graph.addNode(NodeProto.newBuilder().setOpType("Conv").addInput(input).addInput(w).addInput(b).addOutput(out)
                .setName(out)
                .addAttribute(intsAttr("kernel_shape", kh, kw))
                .addAttribute(intsAttr("strides", stride, stride))
                .addAttribute(intsAttr("pads", pads(in, kh, kw, stride, padding)))
                .addAttribute(intAttr("group", group)));
        shapes.put(out, new int[] {1, weightShape[0], padding.outputSize(in[2], kh, stride),
            padding.outputSize(in[3], kw, stride)});
        activation(out, name, activation);
    }

    /** [top, left, bottom, right] as TF computes SAME padding: the odd pixel goes bottom/right. */
    private static int[] pads(int[] nchw, int kh, int kw, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return new int[] {0, 0, 0, 0};
        }
        int totalH = Math.max((padding.outputSize(nchw[2], kh, stride) - 1) * stride + kh - nchw[2], 0);
        int totalW = Math.max((padding.outputSize(nchw[3], kw, stride) - 1) * stride + kw - nchw[3], 0);
        return new int[] {totalH / 2, totalW / 2, totalH - totalH / 2, totalW - totalW / 2};
    }

    private void activation(String input, String output, Activation activation) {
        switch (activation) {
            case NONE -> {
                return;
            }
            case RELU -> node("Relu", List.of(input), output);
            case RELU6 -> {
                String lo = initializer(output + "/min", new int[0], new float[] {0f});
                String hi = initializer(output + "/max", new int[0], new float[] {6f});
                node("Clip", List.of(input, lo, hi), output);
            }
        }
        shapes.put(output, shapes.get(input));
    }

    private void node(String type, List<String> inputs, String output) {
        graph.addNode(NodeProto.newBuilder().setOpType(type).addAllInput(inputs).addOutput(output).setName(output));
    }

    private String initializer(String name, int[] shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (int d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private String int64Initializer(String name, long[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array())).addDims(values.length));
        return name;
    }

    private static float[] permuteOhwiToOihw(float[] w, int[] s) {
        int o = s[0];
        int kh = s[1];
        int kw = s[2];
        int in = s[3];
        float[] out = new float[w.length];
        for (int a = 0; a < o; a++) {
            for (int h = 0; h < kh; h++) {
                for (int x = 0; x < kw; x++) {
                    for (int c = 0; c < in; c++) {
                        out[((a * in + c) * kh + h) * kw + x] = w[((a * kh + h) * kw + x) * in + c];
                    }
                }
            }
        }
        return out;
    }

    private static ValueInfoProto valueInfo(String name, int[] shape) {
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
        for (int d : shape) {
            dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(dims))).build();
    }

    private static AttributeProto intAttr(String name, int value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto intsAttr(String name, int... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int v : values) {
            a.addInts(v);
        }
        return a.build();
    }
}
