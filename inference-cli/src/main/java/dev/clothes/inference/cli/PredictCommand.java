package dev.clothes.inference.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.cli.UserErrorHandler;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Prediction;
import dev.clothes.inference.fetch.AddressPolicy;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.image.ImageDecodeException;
import dev.clothes.inference.image.ImageLimits;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "predict",
        description = {"Classify images (files or http/https URLs) with a model bundle and print the top classes.",
            "An input that cannot be read or decoded is reported and the others still run; the exit code is 1 "
                + "if any input failed."},
        mixinStandardHelpOptions = true,
        sortOptions = false)
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "Model bundle directory or .zip.")
    Path bundle;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files or http(s) URLs.")
    List<String> inputs;

    @Option(names = {"-k", "--top"}, defaultValue = "5", description = "How many classes to show (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--threads", defaultValue = "2", description = "Inference threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--timeout", defaultValue = "10", description = "Seconds allowed per URL download (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--max-mb", defaultValue = "10", description = "Largest image accepted, in MB (default: ${DEFAULT-VALUE}).")
    int maxMegabytes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (topK < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, got " + topK);
        }
        long maxBytes = maxMegabytes * 1024L * 1024L;
        ClassifierOptions options = UserErrorHandler.fromOptions(spec, () -> new ClassifierOptions(
                new ImageLimits(maxBytes, ImageLimits.DEFAULT.maxPixels()), new RuntimeOptions(threads, 1)));
        FetchLimits limits = UserErrorHandler.fromOptions(spec, () -> new FetchLimits(
                Duration.ofSeconds(Math.min(3, timeoutSeconds)), Duration.ofSeconds(timeoutSeconds), maxBytes, 3, false));
        ImageFetcher fetcher = new ImageFetcher(limits, AddressPolicy.ALLOW_ALL);
        int failures = 0;
        ArrayNode results = Json.mapper().createArrayNode();
        try (Classifier classifier = Classifier.open(bundle, options)) {
            if (!json) {
                out.printf(Locale.ROOT, "model %s %s (%s)%n", classifier.manifest().name(),
                        classifier.manifest().version(), classifier.manifest().runtime());
            }
            for (String input : inputs) {
                ObjectNode result = results.addObject().put("input", input);
                try {
                    Classification c = classifier.classify(InputSource.read(input, fetcher, maxBytes), topK);
                    addJson(result, c);
                    if (!json) {
                        printTable(out, input, c);
                    }
                } catch (ImageDecodeException | FetchException | IOException e) {
                    failures++;
                    String message = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
                    result.put("error", message);
                    if (!json) {
                        err.printf(Locale.ROOT, "%n%s%n  error: %s%n", input, message);
                    }
                }
            }
        }
        if (json) {
            out.println(results.toPrettyString());
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private static void addJson(ObjectNode result, Classification c) {
        ArrayNode predictions = result.putArray("predictions");
        for (Prediction p : c.predictions()) {
            predictions.addObject().put("label", p.label()).put("score", p.score());
        }
        // Only bundles with out-of-distribution scorers say whether they are unsure.
        c.ood().ifPresent(ood -> result.put("unsure", ood.unsure())
                .set("outOfDistribution", Json.mapper().valueToTree(ood)));
        result.putObject("timingsMs")
                .put("decode", c.timings().decodeMillis())
                .put("preprocess", c.timings().preprocessMillis())
                .put("inference", c.timings().inferenceMillis());
    }

    private static void printTable(PrintWriter out, String input, Classification c) {
        out.printf(Locale.ROOT, "%n%s   (decode %.1f ms, preprocess %.1f ms, inference %.1f ms)%n", input,
                c.timings().decodeMillis(), c.timings().preprocessMillis(), c.timings().inferenceMillis());
        int width = c.predictions().stream().mapToInt(p -> p.label().length()).max().orElse(10);
        int rank = 1;
        for (Prediction p : c.predictions()) {
            out.printf(Locale.ROOT, "  %d. %-" + width + "s  %6.2f %%%n", rank++, p.label(), p.score() * 100);
        }
        c.ood().ifPresent(ood -> out.printf(Locale.ROOT, "  %s (%s score %.4g, threshold %.4g)%n",
                ood.unsure() ? "UNSURE: looks like none of the classes" : "looks like the training images",
                ood.scorer(), ood.score(), ood.threshold()));
    }
}
