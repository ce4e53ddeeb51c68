package dev.clothes.evaluation.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Evaluation pictures (XChart, PNG): the confusion matrix, and the PNG writer other charts use. */
public final class Charts {

    private Charts() {
    }

    public static void confusionMatrix(EvaluationReport report, Path png) throws IOException {
        int k = report.classes().size();
        HeatMapChart chart = new HeatMapChartBuilder().width(760).height(640)
                .title("Confusion matrix, " + report.split() + String.format(" (accuracy %.2f %%)",
                        100 * report.accuracy()))
                .xAxisTitle("predicted").yAxisTitle("actual").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setPlotContentSize(1);
        chart.getStyler().setRangeColors(new java.awt.Color[] {java.awt.Color.WHITE, new java.awt.Color(0x1f, 0x4e, 0x9c)});
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                cells.add(new Number[] {predicted, k - 1 - actual, report.confusion()[actual][predicted]});
            }
        }
        List<String> reversed = new ArrayList<>(report.classes());
        java.util.Collections.reverse(reversed);
        chart.addSeries("count", report.classes(), reversed, cells);
        savePng(List.of(chart), 1, 1, png);
    }

    /** Writes charts side by side in a rows x columns grid to {@code png}. */
    public static void savePng(List<? extends Chart<?, ?>> charts, int rows, int columns, Path png) throws IOException {
        BitmapEncoder.saveBitmap(new ArrayList<>(charts), rows, columns, withoutExtension(png), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String withoutExtension(Path png) {
        String s = png.toString();
        return s.endsWith(".png") ? s.substring(0, s.length() - 4) : s;
    }
}
