package dev.clothes.trainer.backbone;

import dev.clothes.trainer.TrainingException;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J zoo's ImageNet weights: fetched by the zoo itself (its download site, its cache
 * {@code ~/.deeplearning4j/models/<model>/}, its Adler-32 check), and copied layer by layer, by
 * name, from the zoo's saved graph into a trunk built by {@link ZooBackbone}.
 */
final class ZooWeights {

    private ZooWeights() {
    }

    /**
     * The verified file in the zoo's cache, downloaded first if need be. The system properties
     * {@code org.deeplearning4j.resources.baseurl} (a mirror) and {@code org.deeplearning4j.resources.directory}
     * (another cache) are the zoo's own.
     */
    static Path fetch(ZooBackbone.Architecture architecture, PrintStream log) {
        ZooModel<?> zoo = architecture.zooModel(architecture.defaultInputSize());
        String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
        File cached = new File(DL4JResources.getDirectory(ResourceType.ZOO_MODEL, zoo.modelName()),
                new File(url).getName());
        log.printf(Locale.ROOT, "%s: ImageNet weights through the DL4J zoo: %s (cache %s)%n", architecture.id(), url,
                cached);
        try {
            // Downloads, checks and loads; the loaded graph is dropped: the trunk reads the checked file.
            zoo.initPretrained(PretrainedType.IMAGENET);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException(TrainingException.Kind.WEIGHTS_UNAVAILABLE, "the DL4J zoo cannot provide "
                    + architecture.id() + "'s ImageNet weights from " + url + " (" + e + "). Download that file and "
                    + "pass --weights PATH, or put it at " + cached + " (the zoo checks it before use), or point the "
                    + "zoo at a mirror of its site with -Dorg.deeplearning4j.resources.baseurl=URL", e);
        }
        return cached.toPath();
    }

    /** The name of the zoo's file (the last part of its URL). */
    static String fileName(ZooBackbone.Architecture architecture) {
        return new File(architecture.zooModel(architecture.defaultInputSize()).pretrainedUrl(PretrainedType.IMAGENET))
                .getName();
    }

    /**
     * The graph configuration saved in {@code zip}, without loading its parameters.
     *
     * @throws IllegalArgumentException when {@code zip} holds no ComputationGraph configuration
     */
    static ComputationGraphConfiguration savedConfiguration(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(ModelSerializer.CONFIGURATION_JSON)) {
                    return ComputationGraphConfiguration.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DL4J saved ComputationGraph: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("not a DL4J saved model: no " + ModelSerializer.CONFIGURATION_JSON);
    }

    /**
     * Copies every parameter of {@code graph}'s layers, except {@code headLayers}, from the layer of
     * the same name in the zoo's saved graph {@code zip}; shapes must match.
     *
     * @throws IllegalArgumentException when the saved graph lacks a layer or a shape differs
     */
    static void load(ComputationGraph graph, byte[] zip, Set<String> headLayers) {
        ComputationGraph source;
        try {
            source = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DL4J saved ComputationGraph: " + e.getMessage(), e);
        }
        try {
            for (Layer layer : graph.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                if (headLayers.contains(name) || layer.numParams() == 0) {
                    continue;
                }
                Layer from = source.getLayer(name);
                if (from == null) {
                    throw new IllegalArgumentException("the saved graph has no layer " + name);
                }
                for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                    INDArray value = from.paramTable().get(param.getKey());
                    if (value == null || !Arrays.equals(value.shape(), param.getValue().shape())) {
                        throw new IllegalArgumentException(name + "." + param.getKey() + " is "
                                + Arrays.toString(param.getValue().shape()) + " here but "
                                + (value == null ? "missing" : Arrays.toString(value.shape())) + " in the saved graph");
                    }
                    layer.setParam(param.getKey(), value.castTo(param.getValue().dataType()));
                }
            }
        } finally {
            source.close();
        }
    }
}
