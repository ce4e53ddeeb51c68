package dev.clothes.converter.cli;

import dev.clothes.cli.Cli;
import dev.clothes.cli.UserErrorHandler;
import dev.clothes.converter.export.ConversionReport;
import dev.clothes.converter.export.Exporter;
import dev.clothes.converter.export.Parity;
import dev.clothes.converter.export.Variant;
import dev.clothes.graphexport.tflite.WeightFormat;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.preprocess.TestTimeAugmentation;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "convert", mixinStandardHelpOptions = true, version = "clothes-classifier converter 0.1.0",
        description = {"Convert a trained DL4J model bundle for serving.",
            "Example: convert runs/mobilenet-v2/bundle --to tflite --out runs/mobilenet-v2/tflite-float32",
            "TensorFlow Lite (float32, float16 or int8 weights) or ONNX (float32, opset 13). Batch norm is folded into "
                + "convolutions and ReLU/ReLU6 fused; a layer that cannot be converted exactly is refused by name.",
            "--all writes every variant and a report comparing them with the source."})
public final class ConverterCli implements Callable<Integer> {

    /** Target formats. */
    enum Format {
        TFLITE, ONNX
    }

    @Parameters(paramLabel = "BUNDLE", description = "A bundle written by the trainer (runtime dl4j).")
    Path bundle;

    @Option(names = "--to", defaultValue = "TFLITE", description = "Target format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format to;

    @Option(names = "--weights", defaultValue = "FLOAT32",
            description = "Weight storage: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). int8 is per-channel for "
                + "convolutions, per-tensor for dense layers; activations stay float32.")
    WeightFormat weights;

    @Option(names = "--out", required = true, description = "Bundle to write (a directory, or a .zip); with --all, a folder.")
    Path out;

    @Option(names = "--all", description = "Write every variant (TFLite float32/float16/int8, ONNX) to --out/<variant>/ and compare them with the "
            + "source on the --data split in --out/conversion-report.md and .png.")
    boolean all;

    @Option(names = "--data", description = "Dataset folder for --all (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Split used by --all (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--check", description = "Folder of images (e.g. the test split) to classify with both bundles: "
            + "prints max |Δprob|, top-1 agreement and warm latency of each.")
    Path check;

    @Option(names = "--tta", description = "Test-time augmentation the converted bundle asks for: NONE or FLIP (the "
            + "image and its mirror scored, outputs averaged) (default: the source bundle's).")
    TestTimeAugmentation tta;

    @Spec
    CommandSpec spec;

    private int all(ModelBundle source) throws java.io.IOException {
        var dataset = dev.clothes.evaluation.dataset.ImageFolderDataset.open(
                dev.clothes.evaluation.dataset.ImageFolderDataset.resolveRoot(data), java.util.List.of(split));
        var bundles = ConversionReport.allVariants(source);
        for (var e : bundles.entrySet()) {
            if (!e.getKey().equals("dl4j")) {
                e.getValue().writeTo(out.resolve(e.getKey()));
                System.out.printf(Locale.ROOT, "wrote %s (%,d bytes)%n", out.resolve(e.getKey()), e.getValue().modelSize());
            }
        }
        var rows = ConversionReport.measure(bundles, dataset.split(split), 30);
        String md = ConversionReport.markdown(rows, "convert " + bundle + " --all --out " + out + " --split " + split,
                dataset.split(split).size());
        java.nio.file.Files.writeString(out.resolve("conversion-report.md"), md);
        ConversionReport.chart(rows, out.resolve("conversion-report.png"));
        System.out.println(md);
        return 0;
    }

    public static void main(String[] args) {
        Cli.exit(new ConverterCli(), args);
    }

    public static CommandLine commandLine() {
        return Cli.commandLine(new ConverterCli());
    }

    @Override
    public Integer call() throws Exception {
        ModelBundle source = ModelBundle.load(bundle);
        if (all) {
            return all(source);
        }
        Variant variant = UserErrorHandler.fromOptions(spec, () -> Variant.of(to.name().toLowerCase(Locale.ROOT), weights));
        ModelBundle converted = Exporter.export(source, variant);
        if (tta != null) {
            converted = converted.withManifest(converted.manifest().withPreprocessing(
                    converted.manifest().preprocessing().withTta(tta)));
        }
        if (out.getFileName().toString().endsWith(".zip")) {
            converted.writeZip(out);
        } else {
            converted.writeTo(out);
        }
        System.out.printf(Locale.ROOT, "wrote %s: %s, %,d bytes (source %,d bytes)%n", out,
                converted.manifest().name(), converted.modelSize(), source.modelSize());
        if (check != null) {
            Parity p = Parity.measure(source, converted, check);
            System.out.printf(Locale.ROOT, "parity on %d images: max |dprob| %.2e, top-1 agreement %.2f %%, "
                    + "max |dembedding| %.2e%n", p.images(), p.maxAbsProbabilityDifference(), 100 * p.top1Agreement(),
                    p.maxAbsEmbeddingDifference());
            System.out.printf(Locale.ROOT, "warm latency (median, one image): %s %.1f ms, %s %.1f ms (%.1fx)%n",
                    source.manifest().runtime(), p.sourceMillis(), converted.manifest().runtime(), p.convertedMillis(),
                    p.sourceMillis() / p.convertedMillis());
        }
        return 0;
    }
}
