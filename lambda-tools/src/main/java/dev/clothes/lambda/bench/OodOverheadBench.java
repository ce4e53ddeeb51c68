package dev.clothes.lambda.bench;

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
 * measured by {@link LambdaBench} in alternating turns in one run. Usage: {@code java -cp CLASSPATH
 * dev.clothes.lambda.bench.OodOverheadBench BUNDLE IMAGE REPORT.md [ROUNDS] [REQUESTS]} (defaults 3
 * rounds of 1,000 requests), with lambda-tools's runtime classpath: the server JVMs it starts get
 * the same {@code java.class.path}.
 */
public final class OodOverheadBench {

    private OodOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: OodOverheadBench BUNDLE IMAGE REPORT.md [ROUNDS] [REQUESTS]");
            System.exit(2);
        }
        Path withScorers = Path.of(args[0]);
        ModelBundle bundle = ModelBundle.load(withScorers);
        if (bundle.manifest().outOfDistribution() == null) {
            throw new IllegalArgumentException(withScorers + " has no out-of-distribution scorers to compare against");
        }
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int requests = args.length > 4 ? Integer.parseInt(args[4]) : 1_000;
        Path without = Files.createTempDirectory("bundle-without-scorers");
        ModelBundle.of(bundle.manifest().withEmbedding(null).withOutOfDistribution(null), bundle.labels(),
                bundle.modelBytes(), bundle.metrics().orElse(null)).writeTo(without);
        String classpath = System.getProperty("java.class.path");
        List<LambdaBench.Figures> before = new ArrayList<>();
        List<LambdaBench.Figures> after = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            before.add(LambdaBench.measure(without, Path.of(args[1]), requests, 1, classpath));
            after.add(LambdaBench.measure(withScorers, Path.of(args[1]), requests, 1, classpath));
            System.out.printf(Locale.ROOT, "round %d/%d done%n", r + 1, rounds);
        }
        StringBuilder md = new StringBuilder("# Out-of-distribution scoring in the function: before / after\n\n");
        md.append("- date: ").append(Instant.now()).append('\n');
        md.append("- after: ").append(withScorers).append(" (default scorer ")
                .append(bundle.manifest().outOfDistribution().defaultScorer()).append("); before: the same model file ")
                .append("and labels with bundle.json's embedding and scorers removed\n");
        md.append(String.format(Locale.ROOT, "- image: %s; %d rounds, before and after in alternating turns, each a fresh "
                + "server JVM and %,d requests from one client (LambdaBench); medians over rounds%n%n", args[1], rounds,
                requests));
        md.append("| figure | before | after | after / before |\n|---|---|---|---|\n");
        row(md, "warm end to end, median (ms)", before, after, LambdaBench.Figures::warmEndToEndMillis);
        row(md, "model only (inference), median (ms)", before, after, LambdaBench.Figures::warmModelMillis);
        row(md, "soak p99 (ms)", before, after, LambdaBench.Figures::p99);
        row(md, "JVM start to first answer (ms)", before, after, LambdaBench.Figures::firstAnswerMillis);
        row(md, "server RSS at the end (kB)", before, after, f -> f.rssEndKb());
        Files.writeString(Path.of(args[2]), md);
        System.out.println(md);
    }

    private static void row(StringBuilder md, String name, List<LambdaBench.Figures> before,
                            List<LambdaBench.Figures> after, ToDoubleFunction<LambdaBench.Figures> figure) {
        double b = Percentiles.of(before.stream().mapToDouble(figure).toArray()).median();
        double a = Percentiles.of(after.stream().mapToDouble(figure).toArray()).median();
        md.append(String.format(Locale.ROOT, "| %s | %,.1f | %,.1f | %.3f |%n", name, b, a, a / b));
    }
}
