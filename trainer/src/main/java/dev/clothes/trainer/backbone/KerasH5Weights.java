package dev.clothes.trainer.backbone;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a Keras weights file ({@code model.save_weights} / keras.applications {@code *.h5}) into a
 * DL4J graph whose layers carry the same names. The file holds one group per layer, and inside
 * it a group of the same name with datasets {@code kernel:0}, {@code bias:0}, {@code gamma:0},
 * {@code beta:0}, {@code moving_mean:0}, {@code moving_variance:0} or {@code depthwise_kernel:0}.
 * Every weighted layer of the graph must receive its weights; nothing is silently left random.
 */
public final class KerasH5Weights {

    private static final Map<String, String> BATCH_NORM = Map.of("gamma", "gamma", "beta", "beta",
            "moving_mean", "mean", "moving_variance", "var");

    private KerasH5Weights() {
    }

    public static void load(ComputationGraph graph, Path h5) {
        load(graph, h5, Set.of());
    }

    /** @param notFromFile graph layers the file is not expected to hold (a new classifier head) */
    public static void load(ComputationGraph graph, Path h5, Set<String> notFromFile) {
        Map<String, Set<String>> loaded = new java.util.HashMap<>();
        try (Hdf5Archive archive = new Hdf5Archive(h5.toString())) {
            for (String layerName : archive.getGroups()) {
                for (String inner : archive.getGroups(layerName)) {
                    for (String dataset : archive.getDataSets(layerName, inner)) {
                        if (!graph.getConfiguration().getVertices().containsKey(layerName)) {
                            throw new IllegalArgumentException(h5 + ": layer " + layerName + " has weights, "
                                    + "but the graph has no layer of that name (a file of another architecture?)");
                        }
                        Layer layer = graph.getLayer(layerName);
                        INDArray value = archive.readDataSet(dataset, layerName, inner);
                        String weight = dataset.replace(":0", "");
                        set(layer, layerName, weight, value, h5);
                        loaded.computeIfAbsent(layerName, k -> new HashSet<>()).add(weight);
                    }
                }
            }
        } catch (UnsupportedKerasConfigurationException e) {
            throw new IllegalArgumentException(h5 + " is not a readable Keras weights file: " + e.getMessage(), e);
        }
        Set<String> missing = new TreeSet<>();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (notFromFile.contains(name)) {
                continue;
            }
            if (layer.numParams() > 0 && !loaded.containsKey(name)) {
                missing.add(name);
            } else if (layer.conf().getLayer() instanceof BatchNormalization && !loaded.get(name).contains("gamma")) {
                // Keras scale=False stores no gamma: the identity scale.
                layer.setParam("gamma", Nd4j.onesLike(layer.getParam("gamma")));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(h5 + " has no weights for " + missing.size() + " layer(s) of the graph, "
                    + "e.g. " + missing.iterator().next());
        }
    }

    private static void set(Layer layer, String layerName, String weight, INDArray value, Path h5) {
        boolean batchNorm = layer.conf().getLayer() instanceof BatchNormalization;
        String param;
        INDArray converted;
        if (batchNorm) {
            param = BATCH_NORM.get(weight);
            converted = value.reshape(1, value.length());
            if (param == null) {
                throw new IllegalArgumentException(h5 + ": unexpected batch-norm weight " + weight + " in " + layerName);
            }
        } else if (weight.equals("kernel") && value.rank() == 4) {
            param = "W";
            converted = value.permute(3, 2, 0, 1).dup('c'); // HWIO -> OIHW
        } else if (weight.equals("kernel") || weight.equals("depthwise_kernel")) {
            param = "W";
            converted = value; // dense [in, out] and depthwise [h, w, in, multiplier] match DL4J
        } else if (weight.equals("bias")) {
            param = "b";
            converted = value.reshape(1, value.length());
        } else {
            throw new IllegalArgumentException(h5 + ": unexpected weight " + weight + " in " + layerName);
        }
        INDArray target = layer.getParam(param);
        if (target != null && !Arrays.equals(target.shape(), converted.shape())
                && Arrays.equals(withoutUnitDims(target.shape()), withoutUnitDims(converted.shape()))) {
            converted = converted.reshape(target.shape()); // e.g. [4] vs [1, 4]
        }
        if (target == null || !Arrays.equals(target.shape(), converted.shape())) {
            throw new IllegalArgumentException(h5 + ": " + layerName + "/" + weight + " has shape "
                    + Arrays.toString(value.shape()) + " but the graph expects " + (target == null ? "no such weight"
                    : Arrays.toString(target.shape())));
        }
        layer.setParam(param, converted.castTo(target.dataType()));
    }

    private static long[] withoutUnitDims(long[] shape) {
        return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }
}
