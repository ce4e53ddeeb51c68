package dev.clothes.trainer.train;

import dev.clothes.evaluation.metrics.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Loss and accuracy per epoch, train vs validation, side by side; fine-tuning epochs continue the
 * head's on the same axis as series of their own.
 */
public final class TrainingCurves {

    private TrainingCurves() {
    }

    public static void write(List<EpochMetrics> head, List<EpochMetrics> fineTune, Path png) throws IOException {
        XYChart loss = new XYChartBuilder().width(640).height(420).title("Loss").xAxisTitle("epoch")
                .yAxisTitle("cross-entropy").build();
        XYChart accuracy = new XYChartBuilder().width(640).height(420).title("Accuracy").xAxisTitle("epoch")
                .yAxisTitle("accuracy").build();
        add(loss, "", head, 0, EpochMetrics::trainLoss, EpochMetrics::validationLoss);
        add(accuracy, "", head, 0, EpochMetrics::trainAccuracy, EpochMetrics::validationAccuracy);
        if (!fineTune.isEmpty()) {
            add(loss, "fine-tune ", fineTune, head.size(), EpochMetrics::trainLoss, EpochMetrics::validationLoss);
            add(accuracy, "fine-tune ", fineTune, head.size(), EpochMetrics::trainAccuracy,
                    EpochMetrics::validationAccuracy);
        }
        List<Chart<?, ?>> charts = new ArrayList<>();
        charts.add(loss);
        charts.add(accuracy);
        Charts.savePng(charts, 1, 2, png);
    }

    private static void add(XYChart chart, String prefix, List<EpochMetrics> history, int offset,
                            ToDoubleFunction<EpochMetrics> train, ToDoubleFunction<EpochMetrics> validation) {
        List<Integer> epochs = history.stream().map(m -> m.epoch() + offset).toList();
        chart.addSeries(prefix + "train", epochs, history.stream().map(m -> train.applyAsDouble(m)).toList());
        chart.addSeries(prefix + "validation", epochs, history.stream().map(m -> validation.applyAsDouble(m)).toList());
    }
}
