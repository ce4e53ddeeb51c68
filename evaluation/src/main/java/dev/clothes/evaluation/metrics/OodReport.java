package dev.clothes.evaluation.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Out-of-distribution figures of a bundle on one split and folders of images of none of the
 * classes: AUROC and FPR at 95 % TPR per folder and scorer, the share of the split marked unsure,
 * and accuracy on the images kept against coverage (selective accuracy) for every scorer.
 *
 * @param rows           one per (set, scorer)
 * @param defaultScorer  the scorer that sets {@code unsure}
 * @param unsureShare    share of the split marked unsure
 * @param acceptedAccuracy accuracy on the split's images not marked unsure
 * @param accuracy       accuracy on the whole split
 */
public record OodReport(String split, int images, String defaultScorer, double threshold, List<Row> rows,
                        double unsureShare, double acceptedAccuracy, double accuracy,
                        Map<String, double[]> inDistributionScores, boolean[] correct) {

    /**
     * How well one scorer tells one set of images apart from the split.
     *
     * @param aurocLow, aurocHigh the AUROC's 95 % bootstrap interval
     */
    public record Row(String set, String scorer, int images, double auroc, double aurocLow, double aurocHigh,
                      double fprAt95Tpr) {
    }

    /** Bootstrap resamples behind each AUROC interval. */
    public static final int BOOTSTRAP = 2000;

    public OodReport {
        rows = List.copyOf(rows);
        inDistributionScores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inDistributionScores));
        correct = correct.clone();
    }

    /**
     * @param sets every scorer's scores on each out-of-distribution set, by set name then scorer name
     */
    public static OodReport of(EvaluationReport split, Map<String, Map<String, double[]>> sets) {
        if (!split.hasOod()) {
            throw new IllegalArgumentException("the bundle has no out-of-distribution scorers to evaluate");
        }
        List<Row> rows = new ArrayList<>();
        sets.forEach((set, scores) -> split.oodScores().forEach((scorer, in) -> {
            double[] out = scores.get(scorer);
            double[] interval = OodMetrics.aurocInterval(in, out, BOOTSTRAP, 1);
            rows.add(new Row(set, scorer, out.length, OodMetrics.auroc(in, out), interval[0], interval[1],
                    OodMetrics.fprAt95Tpr(in, out)));
        }));
        ImagePrediction first = split.predictions().get(0);
        boolean[] correct = new boolean[split.predictions().size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = split.predictions().get(i).correct();
        }
        return new OodReport(split.split(), split.count(), first.ood().scorer(), first.ood().threshold(), rows,
                split.unsureShare(), split.acceptedAccuracy(), split.accuracy(), split.oodScores(), correct);
    }

    /** {@code set,scorer,auroc,auroc_low,auroc_high,fpr_at_95_tpr}, one line per row. */
    public String csv() {
        StringBuilder csv = new StringBuilder("set,scorer,auroc,auroc_low,auroc_high,fpr_at_95_tpr\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%.4f,%.4f%n", r.set(), r.scorer(), r.auroc(),
                    r.aurocLow(), r.aurocHigh(), r.fprAt95Tpr()));
        }
        return csv.toString();
    }

    /**
     * Accuracy on the {@code k} images a scorer likes best, for k = 1..n: the selective-accuracy
     * curve, as {coverage, accuracy} arrays.
     */
    public double[][] selectiveAccuracy(String scorer) {
        double[] scores = inDistributionScores.get(scorer);
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double[] coverage = new double[order.length];
        double[] accuracy = new double[order.length];
        int hits = 0;
        for (int k = 0; k < order.length; k++) {
            hits += correct[order[k]] ? 1 : 0;
            coverage[k] = (k + 1.0) / order.length;
            accuracy[k] = (double) hits / (k + 1);
        }
        return new double[][] {coverage, accuracy};
    }

    public String markdown(String command) {
        StringBuilder md = new StringBuilder("# Out-of-distribution detection, " + split + " split\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append(String.format(Locale.ROOT, "- %d %s images; default scorer **%s**, threshold %.4g (keeps 95 %% of "
                + "validation images)%n", images, split, defaultScorer, threshold));
        md.append(String.format(Locale.ROOT, "- unsure: **%.2f %%** of the %s split; accuracy on the images kept "
                + "**%.2f %%** (all images: %.2f %%)%n%n", 100 * unsureShare, split, 100 * acceptedAccuracy,
                100 * accuracy));
        md.append("| set | images | scorer | AUROC (95 % bootstrap interval) | FPR at 95 % TPR |\n|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s%s | %.4f (%.3f-%.3f) | %.4f |%n", r.set(), r.images(),
                    r.scorer(), r.scorer().equals(defaultScorer) ? " (default)" : "", r.auroc(), r.aurocLow(),
                    r.aurocHigh(), r.fprAt95Tpr()));
        }
        md.append("\nSelective accuracy (accuracy on the images a scorer keeps, by coverage):\n\n| scorer |");
        double[] at = {1.0, 0.95, 0.9, 0.8, 0.7};
        for (double c : at) {
            md.append(String.format(Locale.ROOT, " %.0f %% |", 100 * c));
        }
        md.append("\n|---|").append("---|".repeat(at.length)).append('\n');
        for (String scorer : inDistributionScores.keySet().stream().sorted().toList()) {
            double[][] curve = selectiveAccuracy(scorer);
            md.append("| ").append(scorer).append(" |");
            for (double c : at) {
                int k = Math.max(0, (int) Math.ceil(c * curve[0].length) - 1);
                md.append(String.format(Locale.ROOT, " %.2f %% |", 100 * curve[1][k]));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Accuracy against coverage for every scorer, the default scorer's operating point marked. */
    public void chart(Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(760).height(520)
                .title("Selective accuracy, " + split + " split").xAxisTitle("coverage (share of images kept)")
                .yAxisTitle("accuracy on the images kept").build();
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisMin(0.5);
        chart.getStyler().setXAxisMax(1.0);
        for (String scorer : inDistributionScores.keySet().stream().sorted().toList()) {
            double[][] curve = selectiveAccuracy(scorer);
            chart.addSeries(scorer, curve[0], curve[1]).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setYAxisMin(Math.max(0, accuracy - 0.05));
        chart.addSeries(defaultScorer + " threshold", new double[] {1 - unsureShare},
                new double[] {acceptedAccuracy}).setMarker(SeriesMarkers.DIAMOND);
        Charts.savePng(List.of(chart), 1, 1, png);
    }
}
