package dev.clothes.converter.export;

import dev.clothes.graphexport.bundle.ServingBundles;
import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.onnx.OnnxWriter;
import dev.clothes.graphexport.tflite.TfliteWriter;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.runtime.dl4j.Dl4jRuntime;
import dev.clothes.inference.runtime.dl4j.Dl4jRuntimeProvider;

import java.util.List;

/**
 * A DL4J bundle in, a serving bundle out (TFLite or ONNX, through the one intermediate graph):
 * same labels, preprocessing values, calibration, metrics and out-of-distribution scorers, and the
 * embedding as a second output when the source declares one.
 */
public final class Exporter {

    private Exporter() {
    }

    public static ModelBundle export(ModelBundle source, Variant variant) {
        BundleManifest m = source.manifest();
        if (!m.runtime().equals(Dl4jRuntimeProvider.ID)) {
            throw new BundleException(source.source() + " is a '" + m.runtime() + "' bundle; convert takes the trainer's "
                    + "DL4J bundles");
        }
        Preprocessing p = m.preprocessing();
        IrGraph ir;
        try (Dl4jRuntime dl4j = Dl4jRuntime.open(source)) {
            ir = Dl4jImporter.importGraph(dl4j.graph(), p.height(), p.width(), 3,
                    m.embedding() == null ? List.of() : List.of(m.embedding().name()));
        }
        return ServingBundles.of(source, ir, variant == Variant.ONNX_FLOAT32, variant.weights(), variant.id());
    }
}
