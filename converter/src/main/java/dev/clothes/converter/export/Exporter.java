package dev.clothes.converter.export;

import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.onnx.OnnxWriter;
import dev.clothes.graphexport.tflite.TfliteWriter;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Provenance;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.dl4j.Dl4jRuntime;
import dev.clothes.inference.runtime.dl4j.Dl4jRuntimeProvider;

import java.time.Instant;
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
        String description = m.name() + " " + m.version() + " (" + IrGraph.CONVERTER + ", " + variant.id() + ")";
        boolean onnx = variant == Variant.ONNX_FLOAT32;
        byte[] model = onnx ? OnnxWriter.write(ir, description, source.labels())
                : TfliteWriter.write(ir, variant.weights(), description, source.labels());
        // TFLite is NHWC; the ONNX graph keeps DL4J's NCHW. The pixel values are the same.
        TensorLayout layout = onnx ? TensorLayout.NCHW : TensorLayout.NHWC;
        Preprocessing preprocessing = p.withLayout(layout);
        TensorSpec input = new TensorSpec(ir.input(), onnx ? List.of(1, 3, p.height(), p.width())
                : List.of(1, p.height(), p.width(), 3), TensorType.FLOAT32, null);
        TensorSpec output = new TensorSpec(ir.output(), m.output().shape(), TensorType.FLOAT32, null);
        Provenance from = m.provenance();
        Provenance provenance = new Provenance(Instant.now().toString(), IrGraph.CONVERTER,
                "converted from " + m.name() + " " + m.version() + " (dl4j, model sha256 " + source.modelSha256() + ")",
                from.trainingDataSha256(), from.baseWeightsSha256(), from.gitCommit());
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, m.name() + "-" + variant.id(),
                m.version(), variant.runtime(), onnx ? "model.onnx" : "model.tflite", m.labelsFile(), null, input,
                output, preprocessing, m.postprocessing(), provenance,
                m.embedding() == null ? null : new TensorSpec(m.embedding().name(), m.embedding().shape(),
                        TensorType.FLOAT32, null),
                m.outOfDistribution());
        // The scorers read the same embedding from every variant, so they travel unchanged.
        return ModelBundle.of(manifest, source.labels(), model, source.metrics().orElse(null),
                source.outOfDistributionData().orElse(null));
    }
}
