package dev.clothes.trainer.train;

import dev.clothes.evaluation.metrics.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Loss and accuracy per epoch, train vs validation, side by side. */
public final class TrainingCurves {

    private TrainingCurves() {
    }

    public static void write(List<EpochMetrics> history, Path png) throws IOException {
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
        Charts.savePng(charts, 1, 2, png);
    }
}
