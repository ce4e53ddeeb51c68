package dev.clothes.converter.cli;

import dev.clothes.converter.dl4j.UnsupportedLayerException;
import dev.clothes.converter.export.Parity;
import dev.clothes.converter.export.TfliteExport;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "convert", mixinStandardHelpOptions = true, version = "clothes-classifier converter 0.1.0",
        description = {"Convert a trained DL4J model bundle for serving.",
            "Example: convert runs/mobilenet-v2/bundle --to tflite --out runs/mobilenet-v2/tflite-float32",
            "Now: TensorFlow Lite float32. Batch norm is folded into convolutions and ReLU/ReLU6 fused; a layer that "
                + "cannot be converted exactly is refused by name."})
public final class ConverterCli implements Callable<Integer> {

    /** Target formats. */
    enum Format {
        TFLITE
    }

    @Parameters(paramLabel = "BUNDLE", description = "A bundle written by the trainer (runtime dl4j).")
    Path bundle;

    @Option(names = "--to", defaultValue = "TFLITE", description = "Target format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format to;

    @Option(names = "--out", required = true, description = "Bundle to write (a directory, or a .zip).")
    Path out;

    @Option(names = "--check", description = "Folder of images (e.g. the test split) to classify with both bundles: "
            + "prints max |Δprob|, top-1 agreement and warm latency of each.")
    Path check;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConverterCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof BundleException || e instanceof UnsupportedLayerException
                            || e instanceof java.io.IOException) {
                        cmd.getErr().println("error: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                }).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ModelBundle source = ModelBundle.load(bundle);
        ModelBundle converted = TfliteExport.export(source);
        if (out.getFileName().toString().endsWith(".zip")) {
            converted.writeZip(out);
        } else {
            converted.writeTo(out);
        }
        System.out.printf(Locale.ROOT, "wrote %s: %s, %,d bytes (source %,d bytes)%n", out,
                converted.manifest().name(), converted.modelSize(), source.modelSize());
        if (check != null) {
            Parity p = Parity.measure(source, converted, check);
            System.out.printf(Locale.ROOT, "parity on %d images: max |dprob| %.2e, top-1 agreement %.2f %%%n",
                    p.images(), p.maxAbsProbabilityDifference(), 100 * p.top1Agreement());
            System.out.printf(Locale.ROOT, "warm latency (median, one image): %s %.1f ms, %s %.1f ms (%.1fx)%n",
                    source.manifest().runtime(), p.sourceMillis(), converted.manifest().runtime(), p.convertedMillis(),
                    p.sourceMillis() / p.convertedMillis());
        }
        return 0;
    }
}
