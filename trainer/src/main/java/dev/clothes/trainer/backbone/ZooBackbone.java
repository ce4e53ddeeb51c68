package dev.clothes.trainer.backbone;

import dev.clothes.inference.preprocess.ChannelOrder;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.Xception;

/**
 * An ImageNet model of the DL4J zoo ({@code deeplearning4j-zoo}) as a trunk: a zoo graph
 * configuration with its own layer names, cut where its ImageNet classifier starts and ending in
 * global average pooling. The configuration is the one saved with the pretrained weights
 * ({@link #fromSaved}), which is what those weights were trained in, or the zoo's code for a randomly
 * initialised model.
 */
public final class ZooBackbone implements Backbone {

    /** The global average pooling added after the last feature map, unless the graph has its own. */
    public static final String POOL = "avg_pool";

    /**
     * Keras' "caffe" preprocessing, which the zoo's ResNet50 and VGG16 weights (converted from Keras
     * applications) expect: BGR, ImageNet mean subtracted, no scaling.
     */
    static final Normalization CAFFE_BGR_MEAN = new Normalization(List.of(103.939, 116.779, 123.68),
            List.of(1.0, 1.0, 1.0));

    /**
     * The zoo models offered. Each trunk ends where Keras' {@code include_top=False} ends: the
     * classifier starts after the last pooling, which VGG16's trunk keeps and ResNet50's drops
     * (ResNet50's is the classifier's own pooling); Xception's is a global average pooling already.
     */
    public enum Architecture {
        /** 25.6M parameters; features: the last residual block (7x7x2048 at 224 px), pooled here. */
        RESNET50("resnet50", 224, 32, 2048, false, ChannelOrder.BGR, CAFFE_BGR_MEAN),
        /** 138M parameters, 14.7M of them in the trunk; features: the last max pooling (7x7x512), pooled here. */
        VGG16("vgg16", 224, 32, 512, true, ChannelOrder.BGR, CAFFE_BGR_MEAN),
        /** 22.9M parameters; the reference course's backbone, Keras' "tf" scaling to [-1, 1]. */
        XCEPTION("xception", 299, 71, 2048, true, ChannelOrder.RGB, Normalization.MINUS_ONE_TO_ONE);

        private final String id;
        private final int inputSize;
        private final int minInputSize;
        private final int featureSize;
        private final boolean keepsLastPooling;
        private final ChannelOrder channelOrder;
        private final Normalization normalization;

        Architecture(String id, int inputSize, int minInputSize, int featureSize, boolean keepsLastPooling,
                     ChannelOrder channelOrder, Normalization normalization) {
            this.id = id;
            this.inputSize = inputSize;
            this.minInputSize = minInputSize;
            this.featureSize = featureSize;
            this.keepsLastPooling = keepsLastPooling;
            this.channelOrder = channelOrder;
            this.normalization = normalization;
        }

        public String id() {
            return id;
        }

        /** The input size the ImageNet weights were trained at. */
        public int defaultInputSize() {
            return inputSize;
        }

        /** The zoo model for {@code size} x {@code size} RGB images, 1000 ImageNet classes. */
        ZooModel<?> zooModel(int size) {
            int[] shape = {3, size, size};
            return switch (this) {
                case RESNET50 -> ResNet50.builder().numClasses(1000).inputShape(shape).build();
                case VGG16 -> org.deeplearning4j.zoo.model.VGG16.builder().numClasses(1000).inputShape(shape).build();
                case XCEPTION -> Xception.builder().numClasses(1000).inputShape(shape).build();
            };
        }

        /** The zoo's whole graph configuration, classifier included, as its {@code init()} builds it. */
        ComputationGraphConfiguration zooConfiguration(int size) {
            ZooModel<?> model = zooModel(size);
            return switch (this) {
                case RESNET50 -> ((ResNet50) model).graphBuilder().build();
                case VGG16 -> ((org.deeplearning4j.zoo.model.VGG16) model).conf();
                // Its graphBuilder() leaves the input to init(), which adds it like this.
                case XCEPTION -> ((Xception) model).graphBuilder().addInputs("input")
                        .setInputTypes(InputType.convolutional(size, size, 3)).build();
            };
        }
    }

    private final Architecture architecture;
    private final int inputSize;
    /** Read only: {@link #addTrunk} copies what it takes. */
    private final ComputationGraphConfiguration source;
    private final String features;

    /** The zoo's code for the architecture, at the input size its ImageNet weights were trained at. */
    public ZooBackbone(Architecture architecture) {
        this(architecture, architecture.inputSize);
    }

    /** @param inputSize another square input size, e.g. a small one for tests (the zoo's weights accept any) */
    public ZooBackbone(Architecture architecture, int inputSize) {
        this(architecture, inputSize, checkedSize(architecture, inputSize).zooConfiguration(inputSize));
    }

    private ZooBackbone(Architecture architecture, int inputSize, ComputationGraphConfiguration source) {
        this.architecture = architecture;
        this.inputSize = inputSize;
        this.source = source;
        this.features = featureVertex(source, architecture.keepsLastPooling);
    }

    /**
     * The architecture as saved with pretrained weights, at its default input size.
     *
     * @throws IllegalArgumentException when that graph has no pooling before its classifier, or does
     *                                  not give the architecture's feature size
     */
    public static ZooBackbone fromSaved(Architecture architecture, ComputationGraphConfiguration saved) {
        ZooBackbone backbone = new ZooBackbone(architecture, architecture.inputSize, saved);
        int size = backbone.inputSize;
        GraphBuilder g = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(size, size, 3));
        String pool = backbone.addTrunk(g, "input");
        g.setOutputs(pool);
        InputType pooled = g.build().getLayerActivationTypes(InputType.convolutional(size, size, 3)).get(pool);
        if (!InputType.feedForward(architecture.featureSize).equals(pooled)) {
            throw new IllegalArgumentException("the saved " + architecture.id + " gives " + pooled + " features, not "
                    + architecture.featureSize);
        }
        return backbone;
    }

    private static Architecture checkedSize(Architecture architecture, int inputSize) {
        Objects.requireNonNull(architecture, "architecture");
        if (inputSize < architecture.minInputSize || inputSize > 1024) {
            throw new IllegalArgumentException(architecture.id + " needs an input size within "
                    + architecture.minInputSize + "..1024, got " + inputSize);
        }
        return architecture;
    }

    @Override
    public String id() {
        return architecture.id;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int featureSize() {
        return architecture.featureSize;
    }

    @Override
    public Preprocessing preprocessing() {
        return Preprocessing.minusOneToOne(inputSize).withNormalization(architecture.normalization)
                .withChannelOrder(architecture.channelOrder).withLayout(TensorLayout.NCHW);
    }

    /**
     * Copies the zoo graph's vertices up to its features into {@code graph}, reading the zoo graph's
     * input from {@code input}. Layer configurations are the zoo's own (cloned); its input
     * preprocessors are not copied: up to the features there are only convolutional layers, and
     * {@code graph}'s input type adds whatever it needs.
     */
    @Override
    public String addTrunk(GraphBuilder graph, String input) {
        String sourceInput = source.getNetworkInputs().get(0);
        Set<String> trunk = ancestors(source, features, sourceInput);
        for (var entry : source.getVertices().entrySet()) {
            String name = entry.getKey();
            if (!trunk.contains(name)) {
                continue;
            }
            String[] inputs = source.getVertexInputs().get(name).stream()
                    .map(in -> in.equals(sourceInput) ? input : in).toArray(String[]::new);
            GraphVertex vertex = entry.getValue();
            if (vertex instanceof LayerVertex layer) {
                graph.addLayer(name, layer.getLayerConf().getLayer().clone(), inputs);
            } else {
                graph.addVertex(name, vertex.clone(), inputs);
            }
        }
        if (isGlobalPooling(source.getVertices().get(features))) {
            return features;
        }
        graph.addLayer(POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), features);
        return POOL;
    }

    /**
     * The last block boundary that leaves at least two convolutions above it: an add, a merge or a
     * pooling that separates the trunk (nothing above it reads from below it), found on the graph
     * itself since the zoo's layer names differ between its code and its saved files.
     */
    @Override
    public String fineTuneCut() {
        String sourceInput = source.getNetworkInputs().get(0);
        Set<String> trunk = ancestors(source, features, sourceInput);
        List<String> order = topologicalOrder(trunk, sourceInput);
        for (int i = order.size() - 1; i >= 0; i--) {
            GraphVertex vertex = source.getVertices().get(order.get(i));
            boolean boundary = vertex instanceof org.deeplearning4j.nn.conf.graph.ElementWiseVertex
                    || vertex instanceof org.deeplearning4j.nn.conf.graph.MergeVertex
                    || vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof SubsamplingLayer;
            List<String> above = order.subList(i + 1, order.size());
            long convolutions = above.stream().map(source.getVertices()::get).filter(v -> v instanceof LayerVertex l
                    && l.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer).count();
            String cut = order.get(i);
            boolean separates = above.stream().allMatch(v -> source.getVertexInputs().get(v).stream()
                    .allMatch(in -> in.equals(cut) || above.contains(in)));
            if (boundary && convolutions >= 2 && separates) {
                return cut;
            }
        }
        throw new IllegalStateException(architecture.id + " has no block boundary to fine-tune above");
    }

    /** {@code vertices} so that every vertex comes after its inputs (the saved configuration keeps no order). */
    private List<String> topologicalOrder(Set<String> vertices, String networkInput) {
        List<String> order = new java.util.ArrayList<>();
        Set<String> done = new HashSet<>(Set.of(networkInput));
        while (order.size() < vertices.size()) {
            int before = order.size();
            for (String v : source.getVertices().keySet()) {
                if (vertices.contains(v) && !done.contains(v) && done.containsAll(source.getVertexInputs().get(v))) {
                    order.add(v);
                    done.add(v);
                }
            }
            if (order.size() == before) {
                throw new IllegalStateException(architecture.id + "'s graph has a cycle");
            }
        }
        return order;
    }

    /**
     * Where the trunk ends: walking back from the classifier's output, the first pooling met, or
     * its input when the trunk does not keep it. A global pooling is always kept.
     */
    private static String featureVertex(ComputationGraphConfiguration graph, boolean keepsLastPooling) {
        if (graph.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("a zoo graph has one output, not " + graph.getNetworkOutputs());
        }
        Deque<String> todo = new ArrayDeque<>(graph.getNetworkOutputs());
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            GraphVertex vertex = graph.getVertices().get(name);
            if (vertex == null || !seen.add(name)) {
                continue; // the network input, or met before
            }
            boolean pooling = vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof SubsamplingLayer;
            if (isGlobalPooling(vertex) || pooling && keepsLastPooling) {
                return name;
            }
            if (pooling) {
                return graph.getVertexInputs().get(name).get(0);
            }
            todo.addAll(graph.getVertexInputs().get(name));
        }
        throw new IllegalArgumentException("the graph has no pooling before its classifier");
    }

    private static boolean isGlobalPooling(GraphVertex vertex) {
        return vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof GlobalPoolingLayer;
    }

    /** {@code vertex} and every vertex it depends on, the network input excluded. */
    private static Set<String> ancestors(ComputationGraphConfiguration zoo, String vertex, String networkInput) {
        Set<String> found = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(vertex));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!name.equals(networkInput) && found.add(name)) {
                todo.addAll(zoo.getVertexInputs().get(name));
            }
        }
        return found;
    }
}
