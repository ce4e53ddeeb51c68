package dev.clothes.converter.export;

import dev.clothes.converter.dl4j.Dl4jImporter;
import dev.clothes.converter.ir.IrGraph;
import dev.clothes.converter.tflite.TfliteWriter;
import dev.clothes.converter.tflite.WeightFormat;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Provenance;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.tflite.TfliteRuntimeProvider;
import dev.clothes.trainer.dl4j.Dl4jRuntime;
import dev.clothes.trainer.dl4j.Dl4jRuntimeProvider;

import java.time.Instant;
import java.util.List;

/** A DL4J bundle in, a TFLite bundle out: same labels, preprocessing values, calibration and metrics. */
public final class TfliteExport {

    public static final String CONVERTER = "converter 0.1.0";

    private TfliteExport() {
    }

    public static ModelBundle export(ModelBundle source) {
        return export(source, WeightFormat.FLOAT32);
    }

    public static ModelBundle export(ModelBundle source, WeightFormat format) {
        BundleManifest m = source.manifest();
        if (!m.runtime().equals(Dl4jRuntimeProvider.ID)) {
            throw new BundleException(source.source() + " is a '" + m.runtime() + "' bundle; convert takes the trainer's "
                    + "DL4J bundles");
        }
        Preprocessing p = m.preprocessing();
        IrGraph ir;
        try (Dl4jRuntime dl4j = Dl4jRuntime.open(source)) {
            ir = Dl4jImporter.importGraph(dl4j.graph(), p.height(), p.width(), 3);
        }
        byte[] tflite = TfliteWriter.write(ir, format, m.name() + " " + m.version() + " (" + CONVERTER + ", "
                + format.id() + " weights)");
        Preprocessing nhwc = new Preprocessing(p.width(), p.height(), p.resize(), p.crop(), p.cropFraction(),
                p.normalization(), p.channelOrder(), TensorLayout.NHWC);
        TensorSpec input = new TensorSpec(ir.input(), List.of(1, p.height(), p.width(), 3), TensorType.FLOAT32, null);
        TensorSpec output = new TensorSpec(ir.output(), m.output().shape(), TensorType.FLOAT32, null);
        Provenance from = m.provenance();
        Provenance provenance = new Provenance(Instant.now().toString(), CONVERTER,
                "converted from " + m.name() + " " + m.version() + " (dl4j, model sha256 " + source.modelSha256() + ")",
                from.trainingDataSha256(), from.baseWeightsSha256(), from.gitCommit());
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, m.name() + "-tflite-" + format.id(),
                m.version(), TfliteRuntimeProvider.ID, "model.tflite", m.labelsFile(), null, input, output, nhwc,
                m.postprocessing(), provenance);
        return ModelBundle.of(manifest, source.labels(), tflite, source.metrics().orElse(null));
    }
}
