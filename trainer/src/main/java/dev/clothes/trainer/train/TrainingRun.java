package dev.clothes.trainer.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.Provenance;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.trainer.augment.Augmenter;
import dev.clothes.trainer.backbone.Backbones;
import dev.clothes.trainer.backbone.PretrainedTrunk;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.dataset.LabeledImage;
import dev.clothes.inference.runtime.dl4j.Dl4jRuntimeProvider;
import dev.clothes.evaluation.metrics.Charts;
import dev.clothes.evaluation.metrics.EvaluationReport;
import dev.clothes.evaluation.metrics.Evaluator;
import dev.clothes.evaluation.metrics.Metrics;
import dev.clothes.trainer.features.FeatureCache;
import dev.clothes.trainer.features.FeatureExtraction;
import dev.clothes.trainer.features.FeatureSet;
import dev.clothes.trainer.features.FeatureTrunk;
import dev.clothes.trainer.ood.OodFitting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A whole training run: check the dataset, cache trunk features, train the head, assemble trunk +
 * head into one DL4J graph, write the bundle, evaluate it on the test split.
 */
public final class TrainingRun {

    public static final String BUNDLE_DIR = "bundle";

    private TrainingRun() {
    }

    /** What a run produced. */
    public record Result(Path bundle, TrainingState state, EvaluationReport test) {
    }

    public static Result run(TrainOptions o, PrintStream log) throws IOException {
        long start = System.nanoTime();
        List<String> splits = o.evaluateTest() ? ImageFolderDataset.SPLITS : List.of("train", "validation");
        ImageFolderDataset dataset = ImageFolderDataset.open(o.data(), splits);
        dataset.printSummary(log);
        Files.createDirectories(o.out());

        PretrainedTrunk trunk = Backbones.byId(o.backbone()).pretrained(o.weights(), log);
        Preprocessing preprocessing = trunk.backbone().preprocessing();
        FeatureSet train;
        FeatureSet validation;
        try (FeatureTrunk executor = FeatureTrunk.of(trunk, o.workers())) {
            FeatureExtraction extraction = new FeatureExtraction(executor, new FeatureCache(o.cache()),
                    new Augmenter(o.augmentation()), o.head().seed(), o.workers());
            train = extraction.extract("train", dataset.split("train"), o.variants(), log);
            validation = extraction.extract("validation", dataset.split("validation"), 1, log);
        }
        log.printf(Locale.ROOT, "features: %d training rows (%d images x %d variants), %d validation; %.0f s so far%n",
                train.size(), train.size() / o.variants(), o.variants(), validation.size(), seconds(start));

        String dataDigest = digest(dataset.split("train"), dataset.split("validation"), train, validation);
        String runDigest = dataDigest + "|" + trunk.weightsSha256() + "|" + o.variants() + "|" + o.augmentation();
        HeadTrainer.Result trained = new HeadTrainer(o.head(), o.out().resolve("checkpoints"))
                .train(train, validation, dataset.classes().size(), runDigest, o.resume(), log);
        TrainingCurves.write(trained.state().history(), o.out().resolve("training-curves.png"));

        double temperature = calibrate(trained.head(), validation, log);
        ComputationGraph graph = ModelAssembly.assemble(trunk, o.head(), trained.head(), dataset.classes().size());
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, model, false);
        graph.close();

        ObjectNode metrics = Json.mapper().createObjectNode();
        metrics.put("bestEpoch", trained.state().bestEpoch());
        metrics.put("validationAccuracy", trained.state().bestValidationAccuracy());
        metrics.put("validationLoss", trained.state().bestValidationLoss());
        metrics.put("temperature", temperature);
        metrics.set("head", Json.mapper().valueToTree(o.head()));
        metrics.set("augmentation", Json.mapper().valueToTree(o.augmentation()));
        metrics.put("augmentVariants", o.variants());
        ModelBundle bundle = ModelBundle.of(manifest(dataset, preprocessing, temperature, trunk, dataDigest),
                dataset.classes(), model.toByteArray(), metrics);
        bundle = OodFitting.fit(bundle, trained.head(), train, validation, o.data(), o.out(), log);

        // Evaluated from memory, so the bundle is written once, test metrics included.
        EvaluationReport test = null;
        if (o.evaluateTest()) {
            try (Classifier classifier = new Classifier(bundle, ClassifierOptions.DEFAULT)) {
                test = Evaluator.evaluate(classifier, "test", dataset.classes(), dataset.split("test"), o.data(), log);
            }
            metrics.put("testAccuracy", test.accuracy());
            metrics.put("testLoss", test.loss());
            metrics.put("testExpectedCalibrationError", test.expectedCalibrationError());
            metrics.put("testImages", test.count());
            bundle = bundle.withMetrics(metrics);
            Charts.confusionMatrix(test, o.out().resolve("confusion-matrix.png"));
            Files.writeString(o.out().resolve("evaluation-test.md"), test.toMarkdown());
            log.printf(Locale.ROOT, "%ntest accuracy %.2f %% (%d images), loss %.4f, ECE %.4f%n",
                    100 * test.accuracy(), test.count(), test.loss(), test.expectedCalibrationError());
        }
        Path bundleDir = o.out().resolve(BUNDLE_DIR);
        bundle.writeTo(bundleDir);
        log.printf(Locale.ROOT, "wrote %s (%,d bytes model); %.0f s so far%n", bundleDir, bundle.modelSize(),
                seconds(start));
        log.printf(Locale.ROOT, "done in %.0f s: bundle %s, pictures in %s%n", seconds(start), bundleDir, o.out());
        return new Result(bundleDir, trained.state(), test);
    }

    /** Temperature fitted on validation (argmax unchanged), reported as calibration error before and after. */
    private static double calibrate(MultiLayerNetwork head, FeatureSet validation, PrintStream log) {
        float[][] p = head.output(Nd4j.create(validation.features()), false).toFloatMatrix();
        double t = Metrics.fitTemperature(p, validation.labels());
        float[][] scaled = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            scaled[i] = dev.clothes.inference.classify.Scores.probabilities(p[i], new Postprocessing(false, t));
        }
        log.printf(Locale.ROOT, "temperature %.3f: validation ECE %.4f -> %.4f%n", t,
                Metrics.expectedCalibrationError(p, validation.labels(), 15),
                Metrics.expectedCalibrationError(scaled, validation.labels(), 15));
        return t;
    }

    private static BundleManifest manifest(ImageFolderDataset dataset, Preprocessing preprocessing,
                                           double temperature, PretrainedTrunk trunk, String dataDigest) {
        int size = preprocessing.width();
        TensorSpec input = new TensorSpec(ModelAssembly.INPUT, List.of(1, 3, size, size), TensorType.FLOAT32, null);
        TensorSpec output = new TensorSpec(ModelAssembly.OUTPUT, List.of(1, dataset.classes().size()),
                TensorType.FLOAT32, null);
        Provenance provenance = new Provenance(Instant.now().toString(), "trainer 0.1.0",
                "transfer learning: " + trunk.backbone().id() + " (" + trunk.weightsFile().getFileName() + ") on "
                        + dataset.root(), dataDigest, trunk.weightsSha256(), gitCommit());
        return new BundleManifest(BundleManifest.FORMAT_VERSION, "clothes-" + trunk.backbone().id(), "1",
                Dl4jRuntimeProvider.ID, "model.dl4j.zip", "labels.txt", null, input, output, preprocessing,
                new Postprocessing(false, temperature), provenance);
    }

    /**
     * sha256 over the training and validation files' own sha256s, in order, as the feature
     * extraction read them.
     */
    static String digest(List<LabeledImage> train, List<LabeledImage> validation, FeatureSet trainFeatures,
                         FeatureSet validationFeatures) throws IOException {
        MessageDigest md = Checksums.messageDigest("SHA-256");
        update(md, train, trainFeatures);
        update(md, validation, validationFeatures);
        return Checksums.hex(md);
    }

    private static void update(MessageDigest md, List<LabeledImage> images, FeatureSet features) throws IOException {
        for (LabeledImage image : images) {
            String sha = features.imageSha256().get(image.file());
            if (sha == null) {
                throw new IOException("cannot read " + image.file());
            }
            md.update(sha.getBytes(StandardCharsets.US_ASCII));
            md.update((byte) image.label());
        }
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
