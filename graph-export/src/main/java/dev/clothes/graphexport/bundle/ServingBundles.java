package dev.clothes.graphexport.bundle;

import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.onnx.OnnxWriter;
import dev.clothes.graphexport.tflite.TfliteWriter;
import dev.clothes.graphexport.tflite.WeightFormat;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Provenance;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;

import java.time.Instant;
import java.util.List;

/**
 * A serving bundle (TFLite or ONNX) made from a trained bundle and its graph in the intermediate form:
 * same labels, preprocessing values, calibration, metrics and out-of-distribution scorers, and the
 * embedding as a second output when the source declares one. The converter writes these; the trainer
 * evaluates one in memory, the fast way.
 */
public final class ServingBundles {

    private ServingBundles() {
    }

    /**
     * @param ir      the source's graph, with the source's embedding (if any) as its extra output
     * @param onnx    ONNX float32 when true, else TFLite with {@code weights}
     * @param variant names the result, e.g. {@code tflite-float32}
     */
    public static ModelBundle of(ModelBundle source, IrGraph ir, boolean onnx, WeightFormat weights, String variant) {
        BundleManifest m = source.manifest();
        String description = m.name() + " " + m.version() + " (" + IrGraph.CONVERTER + ", " + variant + ")";
        byte[] model = onnx ? OnnxWriter.write(ir, description, source.labels())
                : TfliteWriter.write(ir, weights, description, source.labels());
        Preprocessing p = m.preprocessing();
        // TFLite is NHWC; the ONNX graph keeps DL4J's NCHW. The pixel values are the same.
        Preprocessing preprocessing = p.withLayout(onnx ? TensorLayout.NCHW : TensorLayout.NHWC);
        TensorSpec input = new TensorSpec(ir.input(), onnx ? List.of(1, 3, p.height(), p.width())
                : List.of(1, p.height(), p.width(), 3), TensorType.FLOAT32, null);
        TensorSpec output = new TensorSpec(ir.output(), m.output().shape(), TensorType.FLOAT32, null);
        Provenance from = m.provenance();
        Provenance provenance = new Provenance(Instant.now().toString(), IrGraph.CONVERTER,
                "converted from " + m.name() + " " + m.version() + " (" + m.runtime() + ", model sha256 "
                        + source.modelSha256() + ")",
                from.trainingDataSha256(), from.baseWeightsSha256(), from.gitCommit());
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, m.name() + "-" + variant,
                m.version(), onnx ? "onnx" : "tflite", onnx ? "model.onnx" : "model.tflite", m.labelsFile(), null, input,
                output, preprocessing, m.postprocessing(), provenance,
                m.embedding() == null ? null : new TensorSpec(m.embedding().name(), m.embedding().shape(),
                        TensorType.FLOAT32, null),
                m.outOfDistribution());
        // The scorers read the same embedding from every variant, so they travel unchanged.
        return ModelBundle.of(manifest, source.labels(), model, source.metrics().orElse(null),
                source.outOfDistributionData().orElse(null));
    }
}
