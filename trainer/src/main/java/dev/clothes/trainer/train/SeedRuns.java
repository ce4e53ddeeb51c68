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
import java.util.Locale;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * A recipe (the default, or {@code train}'s flags after the seeds) trained once per seed (the seed
 * drives weight initialisation, shuffling and dropout; the cached augmented features are shared),
 * appending {@code seed,validation_accuracy,test_accuracy} to a CSV after every run so a long
 * benchmark keeps what it finished; prints the mean and spread at the end.
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
        if (args.length < 4) {
            System.err.println("usage: SeedRuns DATA OUT_DIR CSV SEED... [train flags, e.g. --label-smoothing 0]");
            System.exit(2);
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
        for (int i = 3; i < firstFlag; i++) {
            long seed = Long.parseLong(args[i]);
            TrainOptions recipe = flags.flags.options(data, out.resolve("seed-" + seed));
            TrainOptions options = recipe.withHead(recipe.head().withSeed(seed));
            long start = System.nanoTime();
            TrainingRun.Result result = TrainingRun.run(options, System.out);
            TrainingState kept = result.fineTune() != null ? result.fineTune() : result.state();
            double[] r = {seed, kept.bestValidationAccuracy(), result.test().accuracy()};
            results.add(r);
            Files.writeString(csv, String.format(Locale.ROOT, "%d,%.6f,%.6f%n", seed, r[1], r[2]),
                    StandardOpenOption.APPEND);
            System.out.printf(Locale.ROOT, "seed %d: validation %.2f %%, test %.2f %% (%.0f s)%n", seed, 100 * r[1],
                    100 * r[2], (System.nanoTime() - start) / 1e9);
        }
        print(System.out, results);
    }

    private static void print(PrintStream out, List<double[]> results) {
        for (int column = 1; column <= 2; column++) {
            final int c = column;
            double mean = results.stream().mapToDouble(r -> r[c]).average().orElse(Double.NaN);
            double sd = Math.sqrt(results.stream().mapToDouble(r -> (r[c] - mean) * (r[c] - mean)).sum()
                    / Math.max(1, results.size() - 1));
            out.printf(Locale.ROOT, "%s accuracy over %d seeds: mean %.2f %%, sd %.2f pp, min %.2f %%, max %.2f %%%n",
                    c == 1 ? "validation" : "test", results.size(), 100 * mean, 100 * sd,
                    100 * results.stream().mapToDouble(r -> r[c]).min().orElse(Double.NaN),
                    100 * results.stream().mapToDouble(r -> r[c]).max().orElse(Double.NaN));
        }
    }
}
