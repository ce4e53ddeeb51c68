package dev.clothes.trainer.evaluate;

import dev.clothes.trainer.train.EpochMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** The run's pictures: training curves and the confusion matrix (XChart, PNG). */
public final class Charts {

    private Charts() {
    }

    public static void trainingCurves(List<EpochMetrics> history, Path png) throws IOException {
        List<Integer> epochs = history.stream().map(EpochMetrics::epoch).toList();
        XYChart loss = new XYChartBuilder().width(640).height(420).title("Loss").xAxisTitle("epoch")
                .yAxisTitle("cross-entropy").build();
        loss.addSeries("train", epochs, history.stream().map(EpochMetrics::trainLoss).toList());
        loss.addSeries("validation", epochs, history.stream().map(EpochMetrics::validationLoss).toList());
        XYChart accuracy = new XYChartBuilder().width(640).height(420).title("Accuracy").xAxisTitle("epoch")
                .yAxisTitle("accuracy").build();
        accuracy.addSeries("train", epochs, history.stream().map(EpochMetrics::trainAccuracy).toList());
        accuracy.addSeries("validation", epochs, history.stream().map(EpochMetrics::validationAccuracy).toList());
        List<Chart<?, ?>> charts = new ArrayList<>();
        charts.add(loss);
        charts.add(accuracy);
        BitmapEncoder.saveBitmap(charts, 1, 2, withoutExtension(png), BitmapEncoder.BitmapFormat.PNG);
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
        BitmapEncoder.saveBitmap(chart, withoutExtension(png), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String withoutExtension(Path png) {
        String s = png.toString();
        return s.endsWith(".png") ? s.substring(0, s.length() - 4) : s;
    }
}
