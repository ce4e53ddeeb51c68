package dev.clothes.evaluation.metrics;

import dev.clothes.evaluation.ood.FarOodImages;
import dev.clothes.inference.ood.OutOfDistribution;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OodMetricsTest {

    @TempDir
    Path tmp;

    @Test
    void aurocCountsPairsTiesHalf() {
        assertThat(OodMetrics.auroc(new double[] {1, 2, 3}, new double[] {4, 5})).isEqualTo(1.0);
        assertThat(OodMetrics.auroc(new double[] {4, 5}, new double[] {1, 2, 3})).isEqualTo(0.0);
        // pairs (in, out): (1,2) win, (3,2) loss, (1,3) win, (3,3) tie -> 2.5 / 4
        assertThat(OodMetrics.auroc(new double[] {1, 3}, new double[] {2, 3})).isEqualTo(0.625);
        assertThatThrownBy(() -> OodMetrics.auroc(new double[0], new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0 and 1");
    }

    @Test
    void fprAt95TprIsTheShareOfOutliersTheThresholdKeeps() {
        double[] in = new double[100];
        for (int i = 0; i < in.length; i++) {
            in[i] = i; // threshold: 94, the 95th value
        }
        assertThat(OodMetrics.thresholdAt95Tpr(in)).isEqualTo(94);
        assertThat(OodMetrics.fprAt95Tpr(in, new double[] {10, 94, 95, 200})).isEqualTo(0.5);
    }

    @Test
    void reportGivesUnsureShareSelectiveAccuracyAndTheCsvRows() throws Exception {
        // 4 images, the last two wrong; the wrong ones score highest, one of them above the threshold.
        List<String> classes = List.of("a", "b");
        float[][] p = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}, {0.3f, 0.7f}};
        int[] labels = {0, 1, 1, 0};
        double[] scores = {1, 2, 3, 9};
        List<OutOfDistribution> verdicts = List.of(new OutOfDistribution(1, 5, "maha"),
                new OutOfDistribution(2, 5, "maha"), new OutOfDistribution(3, 5, "maha"), new OutOfDistribution(9, 5, "maha"));
        EvaluationReport report = Metrics.report("test", classes, p, labels, List.of("1", "2", "3", "4"), List.of(),
                verdicts, Map.of("maha", scores));
        assertThat(report.unsureShare()).isEqualTo(0.25);
        assertThat(report.acceptedAccuracy()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(report.predictionsCsv()).startsWith("file,actual,predicted,confidence,ood_scorer,ood_score,unsure\n")
                .contains("4,a,b,0.700000,maha,9.00000,true\n");

        OodReport ood = OodReport.of(report, Map.of("far", Map.of("maha", new double[] {10, 11})));
        // Perfectly separated: every bootstrap resample is too, so the interval is [1, 1].
        assertThat(ood.csv()).isEqualTo("set,scorer,auroc,auroc_low,auroc_high,fpr_at_95_tpr\nfar,maha,1.0000,1.0000,1.0000,0.0000\n");
        double[][] curve = ood.selectiveAccuracy("maha");
        assertThat(curve[0]).containsExactly(0.25, 0.5, 0.75, 1.0);
        assertThat(curve[1]).containsExactly(1.0, 1.0, 2 / 3.0, 0.5);
        ood.chart(tmp.resolve("selective.png"));
        assertThat(tmp.resolve("selective.png")).isNotEmptyFile();
        assertThat(ood.markdown("evaluate x")).contains("| far | 2 | maha (default) | 1.0000 (1.000-1.000) | 0.0000 |");
    }

    @Test
    void aurocIntervalHoldsTheEstimateAndNarrowsWithMoreImages() {
        java.util.Random random = new java.util.Random(2);
        double[] in = random.doubles(300).map(v -> v).toArray();
        double[] out = random.doubles(60).map(v -> v + 0.5).toArray();
        double auroc = OodMetrics.auroc(in, out);
        double[] interval = OodMetrics.aurocInterval(in, out, 2000, 1);
        assertThat(interval[0]).isLessThan(auroc);
        assertThat(interval[1]).isGreaterThan(auroc).isLessThanOrEqualTo(1.0);
        double[] fewer = OodMetrics.aurocInterval(java.util.Arrays.copyOf(in, 30), java.util.Arrays.copyOf(out, 6), 2000, 1);
        assertThat(fewer[1] - fewer[0]).isGreaterThan(interval[1] - interval[0]);
        assertThat(OodMetrics.aurocInterval(in, out, 2000, 1)).containsExactly(interval);
    }

    @Test
    void aReportWithoutScorersHasTheOldCsvAndNoOodReport() {
        EvaluationReport report = Metrics.report("test", List.of("a", "b"), new float[][] {{0.9f, 0.1f}}, new int[] {0},
                List.of("1"), List.of());
        assertThat(report.predictionsCsv()).isEqualTo("file,actual,predicted,confidence\n1,a,a,0.900000\n");
        assertThat(report.unsureShare()).isZero();
        assertThatThrownBy(() -> OodReport.of(report, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no out-of-distribution scorers");
    }

    @Test
    void farOodImagesAreDrawnTheSameEveryTime() throws Exception {
        List<Path> files = FarOodImages.write(tmp.resolve("far"), 1);
        assertThat(files).hasSize(FarOodImages.draw(1).size()).allSatisfy(f -> assertThat(f).isNotEmptyFile());
        assertThat(java.nio.file.Files.readAllBytes(files.get(0)))
                .isEqualTo(java.nio.file.Files.readAllBytes(FarOodImages.write(tmp.resolve("again"), 1).get(0)));
    }
}
