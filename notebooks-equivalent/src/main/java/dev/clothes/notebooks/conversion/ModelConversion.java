package dev.clothes.notebooks.conversion;

import dev.clothes.converter.export.ConversionReport;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Prediction;
import dev.clothes.notebooks.report.Pictures;
import dev.clothes.notebooks.report.Pictures.Tile;
import dev.clothes.notebooks.report.Report;
import dev.clothes.notebooks.report.ReportOutput;
import dev.clothes.notebooks.report.Walkthrough;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.dataset.LabeledImage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import static dev.clothes.notebooks.report.Walkthrough.percent;

@Command(name = ModelConversion.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Walkthrough 2: converts the trained DL4J bundle to every serving variant (TFLite float32, "
            + "float16, int8 weights; ONNX), measures size, latency, accuracy and agreement with DL4J, and "
            + "classifies one image with DL4J, TFLite and ONNX side by side.",
            "Reads RUN/bundle (from walkthrough 1 or the main job); writes RUN/converted/<variant>/ and "
                + "REPORTS/2-model-conversion.html and .md."})
public final class ModelConversion implements Callable<Integer> {

    public static final String NAME = Walkthrough.CONVERSION;
    private static final List<String> SIDE_BY_SIDE = List.of("dl4j", "tflite-float32", "tflite-int8", "onnx-float32");

    @Option(names = "--run", defaultValue = "runs/mobilenet-v2", description = "Run folder with bundle/ (default: ${DEFAULT-VALUE}).")
    Path run;

    @Option(names = "--data", description = "Dataset folder (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Split measured (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--latency-runs", defaultValue = "30", description = "Timed runs per variant (default: ${DEFAULT-VALUE}).")
    int latencyRuns;

    @Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        Path bundleDir = run.resolve("bundle");
        if (!Files.isRegularFile(bundleDir.resolve(ModelBundle.MANIFEST_FILE))) {
            throw new BundleException("no trained bundle in " + bundleDir + ". Train one first with "
                    + "walkthrough 1:\n  " + Walkthrough.command(Walkthrough.TRAINING,
                    List.of("--out", run.toString())) + "\nor the README's main job (same bundle, no report).");
        }
        Path root = ImageFolderDataset.resolveRoot(data);
        ImageFolderDataset dataset = ImageFolderDataset.open(root, List.of(split));
        Report report = output.start("2 · Model conversion");
        ModelBundle source = ModelBundle.load(bundleDir);

        report.heading("Converting");
        long start = System.nanoTime();
        Map<String, ModelBundle> bundles = ConversionReport.allVariants(source);
        double convertSeconds = (System.nanoTime() - start) / 1e9;
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, ModelBundle> e : bundles.entrySet()) {
            if (!e.getKey().equals("dl4j")) {
                Path dir = run.resolve("converted").resolve(e.getKey());
                e.getValue().writeTo(dir);
                written.add("`" + dir + "`");
            }
        }
        report.text(String.format(Locale.ROOT, "`%s` (%s, %,d bytes) into %d variants in %.1f s, through one "
                        + "intermediate graph (batch norm folded into the convolutions, activations fused): %s. Each "
                        + "is a complete bundle (labels, preprocessing, calibration, checksums).",
                bundleDir, source.manifest().name(), source.modelSize(), written.size(), convertSeconds,
                String.join(", ", written)));

        report.heading("Size, speed and accuracy");
        List<LabeledImage> images = dataset.split(split);
        List<ConversionReport.Row> rows = ConversionReport.measure(bundles, images, latencyRuns);
        ConversionReport.Row reference = rows.get(0);
        List<List<String>> table = new ArrayList<>();
        for (ConversionReport.Row r : rows) {
            table.add(List.of(r.variant(), String.format(Locale.ROOT, "%.2f MB", r.bytes() / 1e6),
                    String.format(Locale.ROOT, "%.2fx", (double) reference.bytes() / r.bytes()),
                    String.format(Locale.ROOT, "%.1f ms", r.latency1Millis()),
                    String.format(Locale.ROOT, "%.1f ms", r.latency2Millis()),
                    String.format(Locale.ROOT, "%.1fx", reference.latency2Millis() / r.latency2Millis()),
                    percent(r.accuracy()), String.format(Locale.ROOT, "%.1e", r.maxAbsProbabilityDifference()),
                    percent(r.top1Agreement())));
        }
        report.text(String.format(Locale.ROOT, "On the %d images of the %s split; latency is the median of %d warm "
                        + "runs on one image (model only, after decoding). Differences and agreement are against "
                        + "the DL4J model.", images.size(), split, latencyRuns));
        report.table(List.of("variant", "model file", "smaller", "latency, 1 thread", "2 threads", "faster",
                "accuracy", "max |Δprob|", "top-1 agreement"), table);
        Path chart = Files.createTempFile("conversion", ".png");
        try {
            ConversionReport.chart(rows, chart);
            report.picture("conversion.png", Files.readAllBytes(chart),
                    "Model file size, warm latency (2 threads) and accuracy per variant.");
        } finally {
            Files.deleteIfExists(chart);
        }

        sideBySide(report, dataset, images, bundles);
        output.write(report);
        return 0;
    }

    private static void sideBySide(Report report, ImageFolderDataset dataset, List<LabeledImage> images,
                                   Map<String, ModelBundle> bundles) throws Exception {
        report.heading("One image, three runtimes");
        LabeledImage image = images.get(images.size() / 2);
        byte[] bytes = Files.readAllBytes(image.file());
        List<String> header = new ArrayList<>(List.of("rank"));
        List<List<String>> columns = new ArrayList<>();
        List<String> timings = new ArrayList<>(List.of("inference"));
        for (String variant : SIDE_BY_SIDE) {
            try (Classifier classifier = new Classifier(bundles.get(variant), ClassifierOptions.DEFAULT)) {
                classifier.classify(bytes, 3); // warm
                Classification result = classifier.classify(bytes, 3);
                header.add(variant + " (" + bundles.get(variant).manifest().runtime() + ")");
                columns.add(result.predictions().stream().map(ModelConversion::format).toList());
                timings.add(String.format(Locale.ROOT, "%.1f ms", result.timings().inferenceNanos() / 1e6));
                if (variant.equals("dl4j")) {
                    report.picture("side-by-side-image.jpg", Pictures.jpeg(Pictures.grid(List.of(new Tile(
                                    classifier.decoder().decode(bytes).toBufferedImage(),
                                    List.of("actual: " + dataset.classes().get(image.label())))), 1, 260)),
                            "`" + image.file().getFileName() + "` from the test split.");
                }
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (int rank = 0; rank < 3; rank++) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(rank + 1)));
            for (List<String> column : columns) {
                row.add(rank < column.size() ? column.get(rank) : "");
            }
            rows.add(row);
        }
        rows.add(timings);
        report.table(header, rows);
    }

    private static String format(Prediction p) {
        return String.format(Locale.ROOT, "%s %.5f", p.label(), p.score());
    }
}
