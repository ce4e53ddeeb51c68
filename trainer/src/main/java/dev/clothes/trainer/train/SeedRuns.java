package dev.clothes.trainer.train;

import dev.clothes.trainer.cli.TrainFlags;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * A recipe (the default, or {@code train}'s flags after the seeds) trained once per seed (the seed
 * drives weight initialisation, shuffling and dropout; the cached augmented features are shared),
 * appending {@code seed,validation_accuracy,test_accuracy} to a CSV after every run so a long
 * benchmark keeps what it finished; prints the means with their 95 % intervals and every class's test F1 at the end.
 * {@code ./mvnw -q -B -ntp -pl trainer -am compile exec:java -Dtrainer.main=dev.clothes.trainer.train.SeedRuns
 * -Dexec.args="../shared/data/clothing-dataset-small runs/seeds trainer/reports/seeds.csv 1 2 3 4 5"}.
 */
public final class SeedRuns {

    /** Holds the training flags, parsed as {@code train} parses them. */
    @Command(name = "seed-runs")
    static final class Flags {
        @Mixin
        TrainFlags flags;
    }

    private SeedRuns() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4 || List.of(args).contains("--help")) {
            (args.length < 4 && !List.of(args).contains("--help") ? System.err : System.out).println(
                    "usage: SeedRuns DATA OUT_DIR CSV SEED... [train flags, e.g. --label-smoothing 0]\n"
                    + "Trains the recipe once per seed, appends seed,validation_accuracy,test_accuracy to CSV after each "
                    + "run, prints the means with their 95 % intervals and each class's test F1.");
            System.exit(List.of(args).contains("--help") ? 0 : 2);
        }
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path csv = Path.of(args[2]);
        if (!Files.exists(csv)) {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.writeString(csv, "seed,validation_accuracy,test_accuracy\n");
        }
        int firstFlag = 3;
        while (firstFlag < args.length && !args[firstFlag].startsWith("--")) {
            firstFlag++;
        }
        Flags flags = new Flags();
        new CommandLine(flags).parseArgs(Arrays.copyOfRange(args, firstFlag, args.length));
        List<double[]> results = new ArrayList<>();
        Map<String, List<Double>> f1 = new LinkedHashMap<>();
        for (int i = 3; i < firstFlag; i++) {
            long seed = Long.parseLong(args[i]);
            TrainOptions recipe = flags.flags.options(data, out.resolve("seed-" + seed));
            TrainOptions options = recipe.withHead(recipe.head().withSeed(seed));
            long start = System.nanoTime();
            TrainingRun.Result result = TrainingRun.run(options, System.out);
            TrainingState kept = result.fineTune() != null ? result.fineTune() : result.state();
            double[] r = {seed, kept.bestValidationAccuracy(), result.test().accuracy()};
            results.add(r);
            result.test().perClass().forEach(c -> f1.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(c.f1()));
            Files.writeString(csv, String.format(Locale.ROOT, "%d,%.6f,%.6f%n", seed, r[1], r[2]),
                    StandardOpenOption.APPEND);
            System.out.printf(Locale.ROOT, "seed %d: validation %.2f %%, test %.2f %% (%.0f s)%n", seed, 100 * r[1],
                    100 * r[2], (System.nanoTime() - start) / 1e9);
        }
        print(System.out, results, f1);
    }

    private static void print(PrintStream out, List<double[]> results, Map<String, List<Double>> f1) {
        for (int column = 1; column <= 2; column++) {
            final int c = column;
            MeanInterval m = MeanInterval.of(results.stream().mapToDouble(r -> r[c]).toArray());
            out.printf(Locale.ROOT, "%s accuracy over %d seeds: mean %.2f %% (95 %% interval %.2f-%.2f), sd %.2f pp, "
                    + "min %.2f %%, max %.2f %%%n", c == 1 ? "validation" : "test", m.n(), 100 * m.mean(), 100 * m.low(),
                    100 * m.high(), 100 * m.sd(), 100 * m.min(), 100 * m.max());
        }
        out.printf("%ntest F1 per class over the seeds:%n| class | mean F1 | min | max |%n|---|---|---|---|%n");
        f1.forEach((label, values) -> {
            MeanInterval m = MeanInterval.of(values.stream().mapToDouble(Double::doubleValue).toArray());
            out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", label, m.mean(), m.min(), m.max());
        });
    }
}
