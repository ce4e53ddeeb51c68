package dev.clothes.trainer.features;

import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.image.ImageDecodeException;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.trainer.augment.Augmenter;
import dev.clothes.evaluation.dataset.LabeledImage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Features for a split, each (image, variant, trunk) computed once and then read from the cache. With
 * several trunks, a row is their features concatenated in order, each cached under its own trunk's key:
 * adding a trunk to a run costs only that trunk's pass. Unreadable images are skipped and listed, never fatal.
 */
public final class FeatureExtraction {

    private final List<FeatureTrunk> trunks;
    private final FeatureCache cache;
    private final Augmenter augmenter;
    private final long seed;
    private final int workers;
    private final ImageDecoder decoder = new ImageDecoder();

    /** @param trunks one or more trunks whose inputs differ only in pixel scaling (same size, crop and decode) */
    public FeatureExtraction(List<FeatureTrunk> trunks, FeatureCache cache, Augmenter augmenter, long seed,
                             int workers) {
        if (trunks.isEmpty()) {
            throw new IllegalArgumentException("no trunk to extract features with");
        }
        this.trunks = List.copyOf(trunks);
        this.cache = cache;
        this.augmenter = augmenter;
        this.seed = seed;
        this.workers = workers;
    }

    private record Row(float[][] variants, Path file, int label) {
    }

    /** @param variants 1 = the images only; n = the images plus n - 1 augmented copies */
    public FeatureSet extract(String name, List<LabeledImage> images, int variants, PrintStream log) {
        String recipe = augmenter.spec() + "|seed=" + seed;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Path> skipped = Collections.synchronizedList(new ArrayList<>());
        Map<Path, String> imageSha256 = new ConcurrentHashMap<>();
        List<Row> rows = new ArrayList<>();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(name + " features").setInitialMax(images.size())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(log)).build()) {
            List<Future<Optional<Row>>> futures = new ArrayList<>();
            for (LabeledImage image : images) {
                futures.add(pool.submit(() -> {
                    try {
                        return Optional.of(row(image, variants, recipe, imageSha256));
                    } catch (ImageDecodeException | IOException e) {
                        skipped.add(image.file());
                        log.printf("%nskipped %s: %s%n", image.file(), e.getMessage());
                        return Optional.empty();
                    } finally {
                        bar.step();
                    }
                }));
            }
            for (Future<Optional<Row>> f : futures) {
                f.get().ifPresent(rows::add);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("feature extraction failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        int n = rows.size() * variants;
        float[][] features = new float[n][];
        int[] labels = new int[n];
        List<Path> files = new ArrayList<>(n);
        int i = 0;
        for (Row row : rows) {
            for (float[] v : row.variants()) {
                features[i] = v;
                labels[i++] = row.label();
                files.add(row.file());
            }
        }
        return new FeatureSet(features, labels, files, skipped, imageSha256);
    }

    private Row row(LabeledImage image, int variants, String recipe, Map<Path, String> imageSha256)
            throws IOException {
        byte[] bytes = Files.readAllBytes(image.file());
        String imageSha = Checksums.sha256(bytes);
        imageSha256.put(image.file(), imageSha);
        float[][] out = new float[variants][];
        RgbImage decoded = null;
        for (int v = 0; v < variants; v++) {
            float[][] parts = new float[trunks.size()][];
            RgbImage augmented = null;
            for (int t = 0; t < parts.length; t++) {
                FeatureTrunk trunk = trunks.get(t);
                String key = FeatureKey.of(imageSha, v, recipe, trunk.cacheIdentity());
                Optional<float[]> cached = cache.get(key, trunk.featureSize());
                if (cached.isPresent()) {
                    parts[t] = cached.get();
                    continue;
                }
                if (augmented == null) {
                    if (decoded == null) {
                        decoded = decoder.decode(bytes, trunks.get(0).preprocessing().decodeScale());
                    }
                    augmented = augmenter.apply(decoded, seed, imageSha, v);
                }
                parts[t] = trunk.features(augmented);
                cache.put(key, parts[t]);
            }
            out[v] = concatenate(parts);
        }
        return new Row(out, image.file(), image.label());
    }

    private static float[] concatenate(float[][] parts) {
        if (parts.length == 1) {
            return parts[0];
        }
        float[] all = new float[java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
