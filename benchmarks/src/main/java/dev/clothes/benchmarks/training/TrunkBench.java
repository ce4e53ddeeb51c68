package dev.clothes.benchmarks.training;

import dev.clothes.benchmarks.machine.Load;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.trainer.backbone.Backbones;
import dev.clothes.trainer.backbone.MobileNetV2;
import dev.clothes.trainer.backbone.PretrainedTrunk;
import dev.clothes.trainer.features.FeatureTrunk;
import dev.clothes.trainer.features.TfliteTrunk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Feature extraction speed of one trunk per executor, in one run: the ImageNet file
 * ({@link TfliteTrunk#imagenetFile}), the float32 TFLite conversion of the DL4J trunk ({@link FeatureTrunk#of}, the
 * trainer's) and DL4J itself (fewer images; its trunk is synchronized and multi-threaded inside ND4J, so only 1
 * worker). Images are decoded before timing, so only the trunk (preprocessing included) is measured, with 1 and 2
 * workers, executors alternating within each round so load from other jobs spreads over all of them.
 */
@Command(name = "trunk-speed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time one trunk's feature extraction per executor (the ImageNet file, its float32 TFLite "
            + "conversion, DL4J) with 1 and 2 workers, executors alternating within each round.")
public final class TrunkBench implements Callable<Integer> {

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--backbone", defaultValue = MobileNetV2.ID, description = "The trunk (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--images", defaultValue = "100", description = "Train images timed (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--dl4j-images", defaultValue = "10",
            description = "Images DL4J is timed on (default: ${DEFAULT-VALUE}).")
    int nDl4j;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds over the executors (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        Path root = ImageFolderDataset.resolveRoot(data);
        System.out.printf(Locale.ROOT, "load average at start: %.2f, %d cores%n", Load.oneMinute(),
                Runtime.getRuntime().availableProcessors());

        PretrainedTrunk trunk = Backbones.byId(backbone).pretrained(null, System.out);
        List<RgbImage> images = images(root.resolve("train"), n);
        System.out.printf(Locale.ROOT, "%s, weights %s, %d train images (%d for DL4J), %d rounds%n",
                trunk.backbone().id(), trunk.weightsFile().getFileName(), images.size(), nDl4j, rounds);

        Map<String, FeatureTrunk> executors = new LinkedHashMap<>();
        for (int workers : new int[] {1, 2}) {
            int w = workers;
            executors.put("quantized-file/" + w, timedSetup("quantized-file", w,
                    () -> TfliteTrunk.imagenetFile(trunk.weights(), trunk.backbone().preprocessing(), w)));
            executors.put("float32/" + w, timedSetup("float32", w, () -> FeatureTrunk.of(trunk, w)));
        }
        executors.put("dl4j/1", timedSetup("dl4j", 1, () -> FeatureTrunk.dl4j(trunk)));
        for (FeatureTrunk t : executors.values()) {
            t.features(images.get(0)); // first run: lazy native setup
        }

        Map<String, List<Double>> ms = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(executors.keySet());
        for (int round = 1; round <= rounds; round++) {
            // Reverse every other round so no executor always runs right after the same one.
            List<String> turn = new ArrayList<>(order);
            if (round % 2 == 0) {
                java.util.Collections.reverse(turn);
            }
            for (String key : turn) {
                int workers = Integer.parseInt(key.substring(key.indexOf('/') + 1));
                List<RgbImage> batch = key.startsWith("dl4j") ? images.subList(0, Math.min(nDl4j, images.size()))
                        : images;
                double perImage = extract(executors.get(key), batch, workers);
                ms.computeIfAbsent(key, k -> new ArrayList<>()).add(perImage);
                System.out.printf(Locale.ROOT, "round %d  %-12s %d images  %7.2f ms/image%n", round, key,
                        batch.size(), perImage);
            }
        }
        executors.values().forEach(FeatureTrunk::close);

        System.out.printf(Locale.ROOT, "%n| executor | workers | ms/image, median of %d rounds | min | max |%n", rounds);
        System.out.println("|---|---|---|---|---|");
        for (Map.Entry<String, List<Double>> e : ms.entrySet()) {
            List<Double> v = e.getValue().stream().sorted().toList();
            String[] parts = e.getKey().split("/");
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f |%n", parts[0], parts[1],
                    v.get(v.size() / 2), v.get(0), v.get(v.size() - 1));
        }
        System.out.printf(Locale.ROOT, "%nload average at end: %.2f%n", Load.oneMinute());
        return 0;
    }

    private static FeatureTrunk timedSetup(String name, int workers, Supplier<FeatureTrunk> make) {
        long start = System.nanoTime();
        FeatureTrunk t = make.get();
        System.out.printf(Locale.ROOT, "setup %-9s %d worker(s): %.1f s%n", name, workers,
                (System.nanoTime() - start) / 1e9);
        return t;
    }

    /** Milliseconds per image, wall clock, for {@code workers} threads sharing {@code trunk}. */
    private static double extract(FeatureTrunk trunk, List<RgbImage> images, int workers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long start = System.nanoTime();
            List<Future<float[]>> futures = new ArrayList<>();
            for (RgbImage image : images) {
                futures.add(pool.submit(() -> trunk.features(image)));
            }
            for (Future<float[]> f : futures) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e6 / images.size();
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code n} images taken in turn from each class folder, in name order: every class is represented. */
    private static List<RgbImage> images(Path split, int n) throws Exception {
        List<List<Path>> perClass = new ArrayList<>();
        try (Stream<Path> classes = Files.list(split)) {
            for (Path dir : classes.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    perClass.add(files.sorted().toList());
                }
            }
        }
        ImageDecoder decoder = new ImageDecoder();
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; images.size() < n; i++) {
            boolean any = false;
            for (List<Path> files : perClass) {
                if (i < files.size() && images.size() < n) {
                    images.add(decoder.decode(Files.readAllBytes(files.get(i))));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return images;
    }
}
