package dev.clothes.inference.cli;

import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TestTimeAugmentation;

import java.io.PrintWriter;
import java.util.Locale;

/** Human-readable summary of a bundle. */
final class Describe {

    private Describe() {
    }

    static void manifest(PrintWriter w, ModelBundle bundle) {
        BundleManifest m = bundle.manifest();
        Preprocessing p = m.preprocessing();
        w.printf(Locale.ROOT, "  model       %s %s, runtime %s, %s (%,d bytes)%n", m.name(), m.version(), m.runtime(),
                m.modelFile(), bundle.modelSize());
        w.printf(Locale.ROOT, "  input       %s%n", tensor(m.input()));
        w.printf(Locale.ROOT, "  output      %s, %d labels (%s, ...)%n", tensor(m.output()), bundle.labels().size(),
                bundle.labels().get(0));
        w.printf(Locale.ROOT, "  preprocess  %dx%d %s %s, (pixel - %s) / %s, %s %s, decode %s%s%n", p.width(), p.height(),
                p.resize(), p.crop(), p.normalization().mean(), p.normalization().std(), p.channelOrder(), p.layout(),
                p.decode(), p.tta() == TestTimeAugmentation.FLIP ? ", test-time flip (two runs averaged)" : "");
        w.printf(Locale.ROOT, "  postprocess %s%n", m.postprocessing().softmax()
                ? "softmax, temperature " + m.postprocessing().temperature() : "outputs are probabilities");
        bundle.metrics().ifPresent(metrics -> w.printf(Locale.ROOT, "  metrics     %s%n", metrics));
    }

    private static String tensor(TensorSpec t) {
        return t.name() + " " + t.shape() + " " + t.type()
                + (t.quantization() == null ? "" : String.format(Locale.ROOT, " (scale %.6g, zero point %d)",
                t.quantization().scale(), t.quantization().zeroPoint()));
    }
}
