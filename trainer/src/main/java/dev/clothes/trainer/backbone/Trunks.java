package dev.clothes.trainer.backbone;

import dev.clothes.inference.bundle.Checksums;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The pretrained trunks of a run, their pooled features concatenated in this order before the head:
 * {@code --backbone mobilenet-v2+mobilenet-edgetpu}. Most runs have one trunk, and then everything is
 * exactly as for that trunk alone (same backbone, same weights digest).
 */
public record Trunks(List<PretrainedTrunk> parts) {

    public static final String SEPARATOR = "+";

    public Trunks {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("at least one trunk is needed");
        }
    }

    public static Trunks of(PretrainedTrunk trunk) {
        return new Trunks(List.of(trunk));
    }

    /**
     * The registry ids in {@code backbone} ({@code id[+id...]}), checked without reading any file.
     *
     * @param weights a weights file, which only a single trunk may take
     */
    public static List<String> ids(String backbone, Path weights) {
        List<String> ids = Arrays.asList(backbone.split("\\" + SEPARATOR, -1));
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            Backbones.byId(id);
            if (!seen.add(id)) {
                throw new IllegalArgumentException("backbone " + id + " appears twice in " + backbone);
            }
        }
        if (ids.size() > 1 && weights != null) {
            throw new IllegalArgumentException("--weights names one file; with several trunks (" + backbone
                    + ") each takes its default weights");
        }
        return ids;
    }

    /** The weights files a run of {@code backbone} reads, by name, without reading them (for reports). */
    public static String weightsFileNames(String backbone, Path weights) {
        if (weights != null) {
            return weights.getFileName().toString();
        }
        return String.join(" + ", ids(backbone, null).stream()
                .map(id -> Backbones.byId(id).defaultWeights().fileName()).toList());
    }

    /** The trunks of {@code backbone}, each with its weights ({@code weights}, or the default ones). */
    public static Trunks pretrained(String backbone, Path weights, PrintStream log) throws IOException {
        List<PretrainedTrunk> parts = new ArrayList<>();
        for (String id : ids(backbone, weights)) {
            parts.add(Backbones.byId(id).pretrained(weights, log));
        }
        return new Trunks(parts);
    }

    private static Set<String> vertexNames(Backbone backbone) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("input");
        backbone.addTrunk(g, "input");
        return g.getVertices().keySet();
    }

    public boolean single() {
        return parts.size() == 1;
    }

    /** The one trunk, or all of them side by side. */
    public Backbone backbone() {
        return single() ? parts.get(0).backbone()
                : new ConcatenatedBackbone(parts.stream().map(PretrainedTrunk::backbone).toList());
    }

    public String id() {
        return backbone().id();
    }

    /** The trunk's weights digest; for several, the digest of theirs joined in order. */
    public String weightsSha256() {
        if (single()) {
            return parts.get(0).weightsSha256();
        }
        String joined = String.join(SEPARATOR, parts.stream().map(PretrainedTrunk::weightsSha256).toList());
        return Checksums.sha256(joined.getBytes(StandardCharsets.US_ASCII));
    }

    /** The weights files' names, for provenance. */
    public String weightsFiles() {
        return String.join(" + ", parts.stream().map(p -> p.weightsFile().getFileName().toString()).toList());
    }

    /** Loads every trunk's weights (and the input scaling between them) into a graph built by {@link #backbone()}. */
    public void loadInto(ComputationGraph graph, Set<String> headLayers) {
        if (single()) {
            parts.get(0).loadInto(graph, headLayers);
            return;
        }
        Set<String> layers = new HashSet<>();
        for (var layer : graph.getLayers()) {
            layers.add(layer.conf().getLayer().getLayerName());
        }
        for (PretrainedTrunk part : parts) {
            // To each file, every layer of the other trunks is as foreign as the head's.
            Set<String> others = new HashSet<>(layers);
            others.removeAll(vertexNames(part.backbone()));
            part.loadInto(graph, others);
        }
        if (backbone() instanceof ConcatenatedBackbone concatenated) {
            concatenated.loadInputScales(graph);
        }
    }
}
