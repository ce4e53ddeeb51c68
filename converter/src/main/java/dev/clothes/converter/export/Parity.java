package dev.clothes.converter.export;

import dev.clothes.inference.classify.Scores;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * How closely a converted bundle answers like its source on real images: max |Δprob|, top-1
 * agreement, and warm single-image latency of each (median, same process).
 */
public record Parity(int images, double maxAbsProbabilityDifference, double top1Agreement,
                     double sourceMillis, double convertedMillis) {

    public static Parity measure(ModelBundle source, ModelBundle converted, Path imageFolder) throws IOException {
        List<RgbImage> images = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        try (Stream<Path> files = Files.walk(imageFolder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                images.add(decoder.decode(Files.readAllBytes(f)));
            }
        }
        try (Classifier a = new Classifier(source, ClassifierOptions.DEFAULT);
             Classifier b = new Classifier(converted, ClassifierOptions.DEFAULT)) {
            double maxDiff = 0;
            int agree = 0;
            double[] timesA = new double[images.size()];
            double[] timesB = new double[images.size()];
            a.probabilities(images.get(0)); // warm-up
            b.probabilities(images.get(0));
            for (int i = 0; i < images.size(); i++) {
                long t0 = System.nanoTime();
                float[] pa = a.probabilities(images.get(i));
                long t1 = System.nanoTime();
                float[] pb = b.probabilities(images.get(i));
                long t2 = System.nanoTime();
                timesA[i] = (t1 - t0) / 1e6;
                timesB[i] = (t2 - t1) / 1e6;
                for (int c = 0; c < pa.length; c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(pa[c] - pb[c]));
                }
                if (Scores.argMax(pa) == Scores.argMax(pb)) {
                    agree++;
                }
            }
            return new Parity(images.size(), maxDiff, (double) agree / images.size(), median(timesA), median(timesB));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
