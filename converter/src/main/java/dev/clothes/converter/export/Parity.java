package dev.clothes.converter.export;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Scores;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.stats.Percentiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How closely a converted bundle answers like its source on real images: max |Δprob|, top-1
 * agreement, max |Δ| of the embedding (NaN when the bundles have none), and warm single-image
 * latency of each (median, same process).
 */
public record Parity(int images, double maxAbsProbabilityDifference, double top1Agreement,
                     double maxAbsEmbeddingDifference, double sourceMillis, double convertedMillis) {

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
            float[][] pa = new float[images.size()][];
            float[][] pb = new float[images.size()][];
            float[][] ea = new float[images.size()][];
            float[][] eb = new float[images.size()][];
            double[] timesA = new double[images.size()];
            double[] timesB = new double[images.size()];
            a.probabilities(images.get(0)); // warm-up
            b.probabilities(images.get(0));
            for (int i = 0; i < images.size(); i++) {
                long t0 = System.nanoTime();
                ModelOutputs oa = a.outputs(images.get(i));
                long t1 = System.nanoTime();
                ModelOutputs ob = b.outputs(images.get(i));
                timesA[i] = (t1 - t0) / 1e6;
                timesB[i] = (System.nanoTime() - t1) / 1e6;
                pa[i] = Scores.probabilities(oa.scores(), source.manifest().postprocessing());
                pb[i] = Scores.probabilities(ob.scores(), converted.manifest().postprocessing());
                ea[i] = oa.embedding();
                eb[i] = ob.embedding();
            }
            double embeddingDiff = ea[0] == null || eb[0] == null ? Double.NaN : ConversionReport.maxDiff(ea, eb);
            return new Parity(images.size(), ConversionReport.maxDiff(pa, pb), ConversionReport.agreement(pa, pb),
                    embeddingDiff, Percentiles.of(timesA).median(), Percentiles.of(timesB).median());
        }
    }
}
