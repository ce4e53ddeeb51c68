package dev.clothes.inference.cli;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimes;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.stats.Percentiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure a bundle on this machine: load time, first call, warm latency with 1 and 2 threads, "
            + "and decode + preprocess time for one image.",
            "Figures are printed as a Markdown table (and written to --report)."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle directory or .zip.")
    Path bundlePath;

    @Option(names = "--image", required = true, description = "Image to time (e.g. a ~30 KB dataset JPEG).")
    Path image;

    @Option(names = "--runs", defaultValue = "200", description = "Timed runs per figure (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "30", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--report", description = "Also write the table to this Markdown file.")
    Path report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--runs must be at least 1 and --warmup at least 0, got " + runs + " and " + warmup);
        }
        byte[] bytes = Files.readAllBytes(image);
        StringWriter text = new StringWriter();
        PrintWriter t = new PrintWriter(text);
        t.printf(Locale.ROOT, "# inference bench%n%n");
        t.printf(Locale.ROOT, "- date: %s%n- bundle: %s%n- image: %s (%,d bytes)%n- runs: %d after %d warm-up%n"
                        + "- machine: %d cores, Java %s, %s%n%n", Instant.now(), bundlePath, image.getFileName(),
                bytes.length, runs, warmup, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.arch"));
        t.printf(Locale.ROOT, "| figure | value |%n|---|---|%n");

        long t0 = System.nanoTime();
        ModelBundle bundle = ModelBundle.load(bundlePath);
        long loaded = System.nanoTime();
        double firstCall;
        try (Classifier classifier = new Classifier(bundle, ClassifierOptions.DEFAULT)) {
            long opened = System.nanoTime();
            classifier.classify(bytes, 5);
            firstCall = (System.nanoTime() - opened) / 1e6;
            row(t, "bundle load + verify", (loaded - t0) / 1e6);
            row(t, "runtime open, first in JVM (incl. native libraries)", (opened - loaded) / 1e6);
        }
        long t1 = System.nanoTime();
        try (ModelRuntime again = ModelRuntimes.open(bundle, RuntimeOptions.DEFAULT)) {
            row(t, "runtime open, model only", (System.nanoTime() - t1) / 1e6);
        }
        row(t, "first classification (decode + preprocess + inference)", firstCall);

        ImageDecoder decoder = new ImageDecoder();
        Preprocessor preprocessor = new Preprocessor(bundle.manifest().preprocessing());
        var scale = bundle.manifest().preprocessing().decodeScale();
        Percentiles decodePre = time(() -> preprocessor.apply(decoder.decode(bytes, scale)));
        RgbImage decoded = decoder.decode(bytes, scale);
        float[] input = preprocessor.apply(decoded);
        row(t, "decode + preprocess, median", decodePre.median());

        for (int threads : new int[] {1, 2}) {
            RuntimeOptions options = new RuntimeOptions(threads, 1);
            try (ModelRuntime runtime = ModelRuntimes.open(bundle, options);
                 Classifier classifier = new Classifier(bundle, ClassifierOptions.DEFAULT.withRuntime(options))) {
                Percentiles model = time(() -> runtime.run(input));
                Percentiles endToEnd = time(() -> classifier.classify(bytes, 5));
                row(t, "inference, " + threads + " thread(s), median", model.median());
                row(t, "inference, " + threads + " thread(s), p95", model.at(0.95));
                row(t, "end to end (bytes to top-5), " + threads + " thread(s), median", endToEnd.median());
                row(t, "end to end (bytes to top-5), " + threads + " thread(s), p95", endToEnd.at(0.95));
                if (threads == 2) {
                    t.printf(Locale.ROOT, "%ndecode + preprocess = %.1f %% of warm 2-thread inference%n",
                            100 * decodePre.median() / model.median());
                }
            }
        }
        t.flush();
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        if (report != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, text.toString());
        }
        return 0;
    }

    private Percentiles time(Runnable work) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        return Percentiles.of(ms);
    }

    private static void row(PrintWriter t, String figure, double ms) {
        t.printf(Locale.ROOT, "| %s | %.1f ms |%n", figure, ms);
    }
}
