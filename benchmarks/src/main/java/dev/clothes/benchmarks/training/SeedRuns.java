package dev.clothes.benchmarks.training;

import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.trainer.cli.TrainFlags;
import dev.clothes.trainer.train.MeanInterval;
import dev.clothes.trainer.train.TrainOptions;
import dev.clothes.trainer.train.TrainingRun;
import dev.clothes.trainer.train.TrainingState;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A recipe (the default, or {@code train}'s flags) trained once per seed (the seed drives weight initialisation,
 * shuffling and dropout; the cached augmented features are shared), appending
 * {@code seed,validation_accuracy,test_accuracy} to a CSV after every run so a long benchmark keeps what it finished;
 * prints the means with their 95 % intervals and every class's test F1 at the end.
 */
@Command(name = "seed-runs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a recipe (train's flags) once per seed; append seed,validation_accuracy,test_accuracy to "
            + "--csv after each run; print the means with their 95 % intervals and each class's test F1.", "",
            "  -Dbenchmark=seed-runs -Dexec.args=\"--csv trainer/reports/seeds.csv --seeds 1,2,3,4,5\""})
public final class SeedRuns implements Callable<Integer> {

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--out", defaultValue = "runs/seeds", description = "Folder of the runs, one per seed (default: "
            + "${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--csv", required = true, description = "CSV the results are appended to (created with a header).")
    Path csv;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3,4,5",
            description = "Seeds the recipe is trained with (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Mixin
    TrainFlags flags;

    @Override
    public Integer call() throws IOException {
        Path root = ImageFolderDataset.resolveRoot(data);
        if (!Files.exists(csv)) {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.writeString(csv, "seed,validation_accuracy,test_accuracy\n");
        }
        List<double[]> results = new ArrayList<>();
        Map<String, List<Double>> f1 = new LinkedHashMap<>();
        for (long seed : seeds) {
            TrainOptions recipe = flags.options(root, out.resolve("seed-" + seed));
            TrainOptions options = recipe.toBuilder().head(recipe.head().withSeed(seed)).build();
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
        System.out.println("wrote " + csv);
        return 0;
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
