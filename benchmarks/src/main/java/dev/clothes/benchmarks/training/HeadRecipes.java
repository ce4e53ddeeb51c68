package dev.clothes.benchmarks.training;

import dev.clothes.benchmarks.machine.Load;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.trainer.augment.Augmenter;
import dev.clothes.trainer.backbone.Trunks;
import dev.clothes.trainer.cli.TrainFlags;
import dev.clothes.trainer.features.FeatureCache;
import dev.clothes.trainer.features.FeatureExtraction;
import dev.clothes.trainer.features.FeatureSet;
import dev.clothes.trainer.features.FeatureTrunk;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.HeadTrainer;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Head recipes compared on the validation split only, several seeds each: every recipe is {@code train}'s
 * flags, its heads trained on the cached trunk features (extracted once per trunk set and augmentation, at
 * the most variants any recipe asks for; fewer variants are a subset of the same rows). The test split is
 * never read. Appends {@code recipe,seed,validation_accuracy,best_epoch,epochs,seconds} to a CSV after every
 * head (a run that stops keeps what it finished and skips it when started again) and prints, per recipe, the
 * validation mean with its 95 % interval.
 * {@code ./mvnw -q -B -ntp -pl benchmarks -am compile exec:java -Dbenchmark=head-recipes
 * -Dexec.args="--data ../shared/data/clothing-dataset-small --csv trainer/reports/head-recipes.csv
 * --recipe 'dense=--backbone mobilenet-v2+mobilenet-edgetpu' --recipe 'linear=--backbone mobilenet-v2+mobilenet-edgetpu --hidden 0 --standardize'"}.
 */
@Command(name = "head-recipes", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare head recipes (train flags) on the validation split, several seeds each; the test split "
            + "is never read.", "Writes one CSV row per head and prints each recipe's validation mean with its 95 % "
            + "interval."})
public final class HeadRecipes implements Callable<Integer> {

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--recipe", required = true, paramLabel = "NAME=FLAGS",
            description = "A recipe: a name and train's flags, e.g. 'linear=--hidden 0 --standardize --l2 1e-3' "
                + "(repeatable).")
    List<String> recipes;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3,4,5",
            description = "Seeds each recipe is trained with (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--csv", required = true, description = "CSV the results are appended to (created with a header).")
    Path csv;

    @Option(names = "--work", description = "Folder for the heads' checkpoints (default: a temporary folder).")
    Path work;

    /** Holds one recipe's training flags, parsed as {@code train} parses them. */
    @Command(name = "recipe")
    static final class Recipe {
        @Mixin
        TrainFlags flags;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream log = System.out;
        Path root = ImageFolderDataset.resolveRoot(data);
        Path workDir = work != null ? work : Files.createTempDirectory("head-recipes");
        Map<String, TrainOptions> parsed = new LinkedHashMap<>();
        for (String recipe : recipes) {
            int eq = recipe.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--recipe takes NAME=FLAGS, not " + recipe);
            }
            Recipe r = new Recipe();
            new CommandLine(r).parseArgs(recipe.substring(eq + 1).trim().split("\\s+"));
            parsed.put(recipe.substring(0, eq), r.flags.options(root, workDir.resolve(recipe.substring(0, eq))));
        }
        Set<String> done = done();
        ImageFolderDataset dataset = ImageFolderDataset.open(root, List.of("train", "validation"));
        log.printf(Locale.ROOT, "load average at start: %.2f%n", Load.oneMinute());
        Map<String, FeatureSet[]> features = new LinkedHashMap<>();
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (Map.Entry<String, TrainOptions> e : parsed.entrySet()) {
            TrainOptions o = e.getValue();
            String key = featureKey(o);
            if (!features.containsKey(key)) {
                int most = parsed.values().stream().filter(p -> featureKey(p).equals(key))
                        .mapToInt(TrainOptions::variants).max().orElseThrow();
                features.put(key, extract(o, dataset, most, log));
            }
            FeatureSet[] set = features.get(key);
            int most = set[0].size() / imageCount(set[0]);
            FeatureSet train = set[0].firstVariants(o.variants(), most);
            String digest = TrainingRun.digest(dataset.split("train"), dataset.split("validation"), set[0], set[1]);
            for (long seed : seeds) {
                if (done.contains(e.getKey() + "," + seed)) {
                    log.printf("%s seed %d: already in %s%n", e.getKey(), seed, csv);
                    continue;
                }
                HeadConfig head = o.head().withSeed(seed);
                long start = System.nanoTime();
                HeadTrainer.Result result = new HeadTrainer(head, o.out().resolve("seed-" + seed))
                        .train(train, set[1], dataset.classes().size(), digest + "|" + o.variants(), false, log);
                result.head().close();
                double seconds = (System.nanoTime() - start) / 1e9;
                TrainingState s = result.state();
                Files.writeString(csv, String.format(Locale.ROOT, "%s,%d,%.6f,%d,%d,%.1f%n", e.getKey(), seed,
                        s.bestValidationAccuracy(), s.bestEpoch(), s.epochsDone(), seconds), StandardOpenOption.APPEND);
                log.printf(Locale.ROOT, "%s seed %d: validation %.2f %% (epoch %d of %d, %.0f s)%n", e.getKey(), seed,
                        100 * s.bestValidationAccuracy(), s.bestEpoch(), s.epochsDone(), seconds);
            }
        }
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            results.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(new double[] {Double.parseDouble(cells[2])});
        }
        log.printf("%n| recipe | seeds | validation mean | 95 %% interval | sd | min | max |%n|---|---|---|---|---|---|---|%n");
        for (Map.Entry<String, List<double[]>> r : results.entrySet()) {
            MeanInterval m = MeanInterval.of(r.getValue().stream().mapToDouble(v -> v[0]).toArray());
            log.printf(Locale.ROOT, "| %s | %d | %.2f %% | %.2f-%.2f | %.2f pp | %.2f | %.2f |%n", r.getKey(), m.n(),
                    100 * m.mean(), 100 * m.low(), 100 * m.high(), 100 * m.sd(), 100 * m.min(), 100 * m.max());
        }
        log.printf(Locale.ROOT, "%nload average at end: %.2f%n", Load.oneMinute());
        return 0;
    }

    /** What the features depend on: trunks, weights, augmentation and its seed, cache. */
    private static String featureKey(TrainOptions o) {
        return o.backbone() + "|" + o.weights() + "|" + o.augmentation() + "|" + o.augmentSeed() + "|" + o.cache();
    }

    private static int imageCount(FeatureSet set) {
        return new HashSet<>(set.files()).size();
    }

    private static FeatureSet[] extract(TrainOptions o, ImageFolderDataset dataset, int variants, PrintStream log)
            throws IOException {
        Trunks trunks = Trunks.pretrained(o.backbone(), o.weights(), log);
        List<FeatureTrunk> executors = FeatureTrunk.of(trunks, o.workers());
        try {
            FeatureExtraction extraction = new FeatureExtraction(executors, new FeatureCache(o.cache()),
                    new Augmenter(o.augmentation()), o.augmentSeed(), o.workers());
            return new FeatureSet[] {extraction.extract("train", dataset.split("train"), variants, log),
                extraction.extract("validation", dataset.split("validation"), 1, log)};
        } finally {
            executors.forEach(FeatureTrunk::close);
        }
    }

    /** The (recipe, seed) pairs the CSV already holds; creates it with its header when missing. */
    private Set<String> done() throws IOException {
        Set<String> done = new HashSet<>();
        if (!Files.exists(csv)) {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.writeString(csv, "recipe,seed,validation_accuracy,best_epoch,epochs,seconds\n");
            return done;
        }
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            done.add(cells[0] + "," + cells[1]);
        }
        return done;
    }

}
