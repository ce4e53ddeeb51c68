package dev.clothes.trainer.finetune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trunk graph split at one vertex (the cut): the part below runs frozen once per image to give
 * cut-point activations; the part above is fine-tuned on them. Works on the graph's configuration,
 * so it serves every backbone; the cut must separate the graph (nothing above reads from below it).
 *
 * <p>Above the cut every convolution + batch norm pair is folded into one convolution with a bias:
 * DL4J's batch norm uses batch statistics while training, which would undo the pretrained running
 * statistics; folded, the pair stays exactly what it computes at inference and its bias is trained.
 * {@link #unfoldInto} writes the trained values back as the convolution plus an identity batch norm.
 */
public final class TrunkCut {

    private final ComputationGraph trunk;
    private final String input;
    private final String cut;
    private final int inputSize;
    private final InputType.InputTypeConvolutional cutType;
    private final List<String> below = new ArrayList<>();
    private final List<String> above = new ArrayList<>();
    /** batch norm above the cut, by the convolution it follows */
    private final Map<String, String> foldedNorms = new LinkedHashMap<>();

    /**
     * @param trunk     the whole trunk (single input, single output: the pooled features), weights loaded;
     *                  read, not changed, and not closed here
     * @param inputSize square input size in pixels
     * @param cut       vertex whose output is cached
     */
    public TrunkCut(ComputationGraph trunk, int inputSize, String cut) {
        this.trunk = trunk;
        this.cut = cut;
        this.inputSize = inputSize;
        ComputationGraphConfiguration conf = trunk.getConfiguration();
        this.input = conf.getNetworkInputs().get(0);
        Map<String, GraphVertex> vertices = conf.getVertices();
        if (!vertices.containsKey(cut)) {
            throw new IllegalArgumentException("no vertex '" + cut + "' in the trunk to cut at");
        }
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Set<String> belowSet = ancestors(cut, inputs);
        for (int index : trunk.topologicalSortOrder()) {
            String name = trunk.getVertices()[index].getVertexName();
            if (name.equals(input)) {
                continue;
            }
            (belowSet.contains(name) ? below : above).add(name);
        }
        for (String name : above) {
            for (String in : inputs.get(name)) {
                if (!in.equals(cut) && !above.contains(in)) {
                    throw new IllegalArgumentException("cannot cut the trunk at '" + cut + "': '" + name
                            + "' above it reads '" + in + "' from below it");
                }
            }
        }
        InputType type = conf.getLayerActivationTypes(InputType.convolutional(inputSize, inputSize, 3)).get(cut);
        if (!(type instanceof InputType.InputTypeConvolutional conv)) {
            throw new IllegalArgumentException("the cut '" + cut + "' must output a feature map, not " + type);
        }
        this.cutType = conv;
        Map<String, Integer> consumers = new HashMap<>();
        inputs.values().forEach(list -> list.forEach(in -> consumers.merge(in, 1, Integer::sum)));
        for (String name : above) {
            if (layer(vertices.get(name)) instanceof BatchNormalization) {
                String source = inputs.get(name).get(0);
                if (above.contains(source) && layer(vertices.get(source)) instanceof ConvolutionLayer layer
                        && !layer.hasBias() && consumers.get(source) == 1) {
                    foldedNorms.put(source, name);
                }
            }
        }
    }

    public String cut() {
        return cut;
    }

    /** Shape of one image's activations at the cut, channels last as TFLite gives them: {h, w, c}. */
    public long[] activationShape() {
        return new long[] {cutType.getHeight(), cutType.getWidth(), cutType.getChannels()};
    }

    public int activationSize() {
        return (int) (cutType.getHeight() * cutType.getWidth() * cutType.getChannels());
    }

    /** The trunk from the image to the cut, with the trunk's weights. Close it. */
    public ComputationGraph below() {
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder().addInputs(input)
                .setInputTypes(InputType.convolutional(inputSize, inputSize, 3));
        Map<String, List<String>> inputs = trunk.getConfiguration().getVertexInputs();
        for (String name : below) {
            g.addVertex(name, trunk.getConfiguration().getVertices().get(name).clone(),
                    inputs.get(name).toArray(String[]::new));
        }
        g.setOutputs(cut);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        copyParams(trunk, graph);
        return graph;
    }

    /** The trunk above the cut alone (cut activations in, pooled features out), batch norms folded. Close it. */
    public ComputationGraph above() {
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder();
        g.setOutputs(addAbove(g));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        foldInto(graph);
        return graph;
    }

    /**
     * Adds the layers above the cut to {@code g}, batch norms folded, reading from an input named
     * like the cut, and returns the name of the vertex that gives the pooled features.
     */
    public String addAbove(GraphBuilder g) {
        g.addInputs(cut).setInputTypes(InputType.convolutional(cutType.getHeight(), cutType.getWidth(),
                cutType.getChannels()));
        ComputationGraphConfiguration conf = trunk.getConfiguration();
        Map<String, String> renamed = new HashMap<>();
        foldedNorms.forEach((conv, norm) -> renamed.put(norm, conv));
        for (String name : above) {
            if (foldedNorms.containsValue(name)) {
                continue;
            }
            String[] ins = conf.getVertexInputs().get(name).stream().map(in -> renamed.getOrDefault(in, in))
                    .toArray(String[]::new);
            GraphVertex vertex = conf.getVertices().get(name);
            if (foldedNorms.containsKey(name)) {
                ConvolutionLayer conv = (ConvolutionLayer) layer(vertex).clone();
                conv.setHasBias(true);
                g.addLayer(name, conv, ins);
            } else if (vertex instanceof LayerVertex) {
                g.addLayer(name, layer(vertex).clone(), ins);
            } else {
                g.addVertex(name, vertex.clone(), ins);
            }
        }
        return conf.getNetworkOutputs().get(0);
    }

    /** Copies the trunk's weights above the cut into {@code top} (built with {@link #addAbove}), folding batch norms. */
    public void foldInto(ComputationGraph top) {
        for (String name : above) {
            if (foldedNorms.containsValue(name) || trunk.getLayer(name) == null) {
                continue;
            }
            String norm = foldedNorms.get(name);
            if (norm == null) {
                copyLayer(trunk, top, name);
                continue;
            }
            INDArray w = trunk.getLayer(name).getParam("W");
            INDArray[] scaleShift = scaleAndShift(trunk.getLayer(norm).paramTable(), eps(norm));
            top.getLayer(name).setParam("W", scaleOutputs(w, scaleShift[0], isDepthwise(name)));
            top.getLayer(name).setParam("b", scaleShift[1].reshape(top.getLayer(name).getParam("b").shape()));
        }
    }

    /**
     * Writes {@code top}'s (fine-tuned) weights above the cut into {@code graph}, a graph holding the
     * trunk with the same layer names: folded convolutions become the convolution plus an identity
     * batch norm whose shift is the trained bias. Layers of {@code top} beyond the trunk (the head)
     * are copied by name too.
     */
    public void unfoldInto(ComputationGraph top, ComputationGraph graph) {
        for (org.deeplearning4j.nn.api.Layer layer : top.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            String norm = foldedNorms.get(name);
            if (norm == null) {
                copyLayer(top, graph, name);
                continue;
            }
            graph.getLayer(name).setParam("W", top.getLayer(name).getParam("W").dup());
            INDArray bias = top.getLayer(name).getParam("b");
            long channels = bias.length();
            org.deeplearning4j.nn.api.Layer bn = graph.getLayer(norm);
            bn.setParam("gamma", Nd4j.ones(DataType.FLOAT, 1, channels));
            bn.setParam("beta", bias.reshape(1, channels).dup());
            bn.setParam("mean", Nd4j.zeros(DataType.FLOAT, 1, channels));
            bn.setParam("var", Nd4j.valueArrayOf(new long[] {1, channels}, 1 - eps(norm), DataType.FLOAT));
        }
    }

    /** NHWC activations as TFLite writes them, one row per image, as the NCHW batch DL4J reads. */
    public INDArray toNchw(float[][] rows) {
        long[] s = activationShape();
        return Nd4j.create(rows).reshape('c', rows.length, s[0], s[1], s[2]).permute(0, 3, 1, 2).dup('c');
    }

    private static INDArray[] scaleAndShift(Map<String, INDArray> bn, double eps) {
        INDArray scale = bn.get("gamma").div(Transforms.sqrt(bn.get("var").add(eps)));
        INDArray shift = bn.get("beta").sub(bn.get("mean").mul(scale));
        return new INDArray[] {scale.reshape(scale.length()), shift.reshape(shift.length())};
    }

    /** Multiplies each output channel's weights by its scale: axis 0 of [out, in, kh, kw], axis 2 of depthwise [kh, kw, in, 1]. */
    private static INDArray scaleOutputs(INDArray w, INDArray scale, boolean depthwise) {
        INDArray out = w.dup();
        if (depthwise) {
            return out.muli(scale.reshape(1, 1, scale.length(), 1));
        }
        return out.muli(scale.reshape(scale.length(), 1, 1, 1));
    }

    private boolean isDepthwise(String name) {
        return layer(trunk.getConfiguration().getVertices().get(name)) instanceof DepthwiseConvolution2D;
    }

    private double eps(String norm) {
        return ((BatchNormalization) layer(trunk.getConfiguration().getVertices().get(norm))).getEps();
    }

    private static Layer layer(GraphVertex vertex) {
        return vertex instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    private static void copyLayer(ComputationGraph from, ComputationGraph to, String name) {
        from.getLayer(name).paramTable().forEach((param, value) -> to.getLayer(name).setParam(param, value.dup()));
    }

    private static void copyParams(ComputationGraph from, ComputationGraph to) {
        for (org.deeplearning4j.nn.api.Layer layer : to.getLayers()) {
            copyLayer(from, to, layer.conf().getLayer().getLayerName());
        }
    }

    private static Set<String> ancestors(String vertex, Map<String, List<String>> inputs) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(vertex));
        while (!todo.isEmpty()) {
            String v = todo.remove(todo.size() - 1);
            if (seen.add(v)) {
                todo.addAll(inputs.getOrDefault(v, List.of()));
            }
        }
        return seen;
    }
}
