package dev.clothes.benchmarks.lambda;

import dev.clothes.cli.ChildJvm;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import dev.clothes.lambda.local.EndpointLoad;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.stats.Percentiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What out-of-distribution scoring costs the function: the same bundle served with its scorers and
 * with them stripped (same model file, so only the embedding read and the default scorer differ),
 * measured by {@link EndpointLoad} in alternating turns in one run. Run by the {@code ood-overhead} benchmark (the server JVMs it starts get its classpath).
 */
@Command(name = "ood-overhead", mixinStandardHelpOptions = true, description = "What the out-of-distribution scorers cost a request: the bundle with and without them, alternating.")
public final class OodOverhead implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "a bundle with out-of-distribution scorers")
    Path withScorers;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "the photo every request sends")
    Path image;

    @Parameters(index = "2", paramLabel = "REPORT.md", description = "where the report goes")
    Path report;

    @Parameters(index = "3", paramLabel = "ROUNDS", description = "alternating rounds (default: ${DEFAULT-VALUE})", arity = "0..1", defaultValue = "3")
    int rounds;

    @Parameters(index = "4", paramLabel = "REQUESTS", description = "requests per round and variant (default: ${DEFAULT-VALUE})", arity = "0..1", defaultValue = "1000")
    int requests;


    @Override
    public Integer call() throws Exception {
        ModelBundle bundle = ModelBundle.load(withScorers);
        if (bundle.manifest().outOfDistribution() == null) {
            throw new IllegalArgumentException(withScorers + " has no out-of-distribution scorers to compare against");
        }
        Path without = Files.createTempDirectory("bundle-without-scorers");
        ModelBundle.of(bundle.manifest().withEmbedding(null).withOutOfDistribution(null), bundle.labels(),
                bundle.modelBytes(), bundle.metrics().orElse(null)).writeTo(without);
        String classpath = ChildJvm.classpath();
        List<EndpointLoad.Figures> before = new ArrayList<>();
        List<EndpointLoad.Figures> after = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            before.add(EndpointLoad.measure(without, image, requests, 1, classpath));
            after.add(EndpointLoad.measure(withScorers, image, requests, 1, classpath));
            System.out.printf(Locale.ROOT, "round %d/%d done%n", r + 1, rounds);
        }
        StringBuilder md = new StringBuilder("# Out-of-distribution scoring in the function: before / after\n\n");
        md.append("- date: ").append(Instant.now()).append('\n');
        md.append("- after: ").append(withScorers).append(" (default scorer ")
                .append(bundle.manifest().outOfDistribution().defaultScorer()).append("); before: the same model file ")
                .append("and labels with bundle.json's embedding and scorers removed\n");
        md.append(String.format(Locale.ROOT, "- image: %s; %d rounds, before and after in alternating turns, each a fresh "
                + "server JVM and %,d requests from one client (EndpointLoad); medians over rounds%n%n", image, rounds,
                requests));
        md.append("| figure | before | after | after / before |\n|---|---|---|---|\n");
        row(md, "warm end to end, median (ms)", before, after, EndpointLoad.Figures::warmEndToEndMillis);
        row(md, "model only (inference), median (ms)", before, after, EndpointLoad.Figures::warmModelMillis);
        row(md, "soak p99 (ms)", before, after, EndpointLoad.Figures::p99);
        row(md, "JVM start to first answer (ms)", before, after, EndpointLoad.Figures::firstAnswerMillis);
        row(md, "server RSS at the end (kB)", before, after, f -> f.rssEndKb());
        Files.writeString(report, md);
        System.out.println(md);
        return 0;
    }

    private static void row(StringBuilder md, String name, List<EndpointLoad.Figures> before,
                            List<EndpointLoad.Figures> after, ToDoubleFunction<EndpointLoad.Figures> figure) {
        double b = Percentiles.of(before.stream().mapToDouble(figure).toArray()).median();
        double a = Percentiles.of(after.stream().mapToDouble(figure).toArray()).median();
        md.append(String.format(Locale.ROOT, "| %s | %,.1f | %,.1f | %.3f |%n", name, b, a, a / b));
    }
}
