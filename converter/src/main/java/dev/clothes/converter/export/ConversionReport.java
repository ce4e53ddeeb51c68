package dev.clothes.converter.export;

import dev.clothes.inference.classify.Scores;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.ood.OodScoring;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.evaluation.dataset.LabeledImage;
import dev.clothes.inference.stats.Percentiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** The source bundle and every converted variant measured side by side on one split. */
public final class ConversionReport {

    /**
     * One bundle's figures; the first row is the source, whose difference and agreement are trivial.
     * The embedding difference is NaN and the unsure agreement 1 for bundles without embedding or scorers.
     */
    public record Row(String variant, long bytes, double loadMillis, double latency1Millis, double latency2Millis,
                      double accuracy, double maxAbsProbabilityDifference, double top1Agreement,
                      double maxAbsEmbeddingDifference, double unsureAgreement) {
    }

    private ConversionReport() {
    }

    public static List<Row> measure(Map<String, ModelBundle> bundles, List<LabeledImage> images, int latencyRuns)
            throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        List<RgbImage> decoded = new ArrayList<>();
        int[] labels = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            decoded.add(decoder.decode(Files.readAllBytes(images.get(i).file())));
            labels[i] = images.get(i).label();
        }
        List<Row> rows = new ArrayList<>();
        float[][] reference = null;
        float[][] referenceEmbeddings = null;
        boolean[] referenceUnsure = null;
        for (Map.Entry<String, ModelBundle> e : bundles.entrySet()) {
            ModelBundle bundle = e.getValue();
            long t0 = System.nanoTime();
            float[][] p;
            double latency1;
            try (Classifier one = new Classifier(bundle, ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(1, 1)))) {
                double load = (System.nanoTime() - t0) / 1e6;
                latency1 = latency(one, decoded.get(0), latencyRuns);
                try (Classifier two = new Classifier(bundle, ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(2, 1)))) {
                    double latency2 = latency(two, decoded.get(0), latencyRuns);
                    p = new float[decoded.size()][];
                    float[][] embeddings = new float[decoded.size()][];
                    boolean[] unsure = new boolean[decoded.size()];
                    OodScoring ood = two.outOfDistribution().orElse(null);
                    for (int i = 0; i < decoded.size(); i++) {
                        ModelOutputs out = two.outputs(decoded.get(i));
                        p[i] = Scores.probabilities(out.scores(), bundle.manifest().postprocessing());
                        embeddings[i] = out.embedding();
                        unsure[i] = ood != null && ood.assess(p[i], out.embedding()).unsure();
                    }
                    if (reference == null) {
                        reference = p;
                        referenceEmbeddings = embeddings;
                        referenceUnsure = unsure;
                    }
                    int sameUnsure = 0;
                    for (int i = 0; i < unsure.length; i++) {
                        sameUnsure += unsure[i] == referenceUnsure[i] ? 1 : 0;
                    }
                    double embeddingDiff = embeddings[0] == null || referenceEmbeddings[0] == null ? Double.NaN
                            : maxDiff(referenceEmbeddings, embeddings);
                    rows.add(new Row(e.getKey(), bundle.modelSize(), load, latency1, latency2, accuracy(p, labels),
                            maxDiff(reference, p), agreement(reference, p), embeddingDiff,
                            (double) sameUnsure / unsure.length));
                }
            }
        }
        return rows;
    }

    public static String markdown(List<Row> rows, String command, int images) {
        StringBuilder md = new StringBuilder("# Conversion report\n\n");
        md.append("- date: ").append(Instant.now()).append('\n');
        md.append("- command: `").append(command).append("`\n");
        md.append("- images: ").append(images).append(" (accuracy, max |Δprob| and top-1 agreement against ")
                .append(rows.get(0).variant()).append(")\n\n");
        md.append("| variant | model file | load | warm latency, 1 thread | 2 threads | accuracy | max \\|Δprob\\| | top-1 agreement | max \\|Δembedding\\| | unsure agreement |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        Row source = rows.get(0);
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,d bytes (%.2fx) | %.0f ms | %.1f ms | %.1f ms (%.1fx) | %.2f %% | %.2e | %.2f %% | %s | %.2f %% |%n",
                    r.variant(), r.bytes(), (double) source.bytes() / r.bytes(), r.loadMillis(), r.latency1Millis(),
                    r.latency2Millis(), source.latency2Millis() / r.latency2Millis(), 100 * r.accuracy(),
                    r.maxAbsProbabilityDifference(), 100 * r.top1Agreement(),
                    Double.isNaN(r.maxAbsEmbeddingDifference()) ? "-"
                            : String.format(Locale.ROOT, "%.2e", r.maxAbsEmbeddingDifference()),
                    100 * r.unsureAgreement()));
        }
        md.append("\nSize ratio and speed-up are relative to the first row. DL4J ignores the thread setting.\n");
        return md.toString();
    }

    public static void chart(List<Row> rows, Path png) throws IOException {
        List<String> names = rows.stream().map(Row::variant).toList();
        CategoryChart size = new CategoryChartBuilder().width(560).height(400).title("Model file (MB)").build();
        size.addSeries("size", names, rows.stream().map(r -> r.bytes() / 1e6).toList());
        size.getStyler().setLegendVisible(false);
        CategoryChart latency = new CategoryChartBuilder().width(560).height(400)
                .title("Warm latency, 2 threads (ms)").build();
        latency.addSeries("latency", names, rows.stream().map(Row::latency2Millis).toList());
        latency.getStyler().setLegendVisible(false);
        CategoryChart accuracy = new CategoryChartBuilder().width(560).height(400).title("Accuracy (%)").build();
        accuracy.addSeries("accuracy", names, rows.stream().map(r -> 100 * r.accuracy()).toList());
        accuracy.getStyler().setLegendVisible(false);
        accuracy.getStyler().setYAxisMin(Math.max(0, rows.stream().mapToDouble(r -> 100 * r.accuracy()).min()
                .orElse(0) - 5));
        List<Chart<?, ?>> charts = List.of(size, latency, accuracy);
        String base = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(charts, 1, 3, base, BitmapEncoder.BitmapFormat.PNG);
    }

    private static double latency(Classifier classifier, RgbImage image, int runs) {
        for (int i = 0; i < 3; i++) {
            classifier.probabilities(image);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            classifier.probabilities(image);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return Percentiles.of(ms).median();
    }

    private static double accuracy(float[][] p, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += Scores.argMax(p[i]) == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    static double maxDiff(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) {
                max = Math.max(max, Math.abs(a[i][c] - b[i][c]));
            }
        }
        return max;
    }

    static double agreement(float[][] a, float[][] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += Scores.argMax(a[i]) == Scores.argMax(b[i]) ? 1 : 0;
        }
        return (double) same / a.length;
    }

    /** Every TFLite variant of {@code source}, keyed by name, the source first. */
    public static Map<String, ModelBundle> allVariants(ModelBundle source) {
        Map<String, ModelBundle> bundles = new LinkedHashMap<>();
        bundles.put("dl4j", source);
        for (Variant v : Variant.values()) {
            bundles.put(v.id(), Exporter.export(source, v));
        }
        return bundles;
    }
}
