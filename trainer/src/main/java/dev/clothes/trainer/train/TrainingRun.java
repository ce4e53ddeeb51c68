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
import dev.clothes.inference.image.ImageLimits;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.trainer.augment.Augmenter;
import dev.clothes.graphexport.bundle.ServingBundles;
import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.dl4j.UnsupportedLayerException;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.tflite.WeightFormat;
import dev.clothes.trainer.backbone.PretrainedTrunk;
import dev.clothes.trainer.backbone.Trunks;
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
import dev.clothes.trainer.features.TfliteTop;
import dev.clothes.trainer.finetune.TrunkCut;
import dev.clothes.trainer.ood.Embeddings;
import dev.clothes.trainer.ood.OodFitting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A whole training run: check the dataset, cache trunk features, train the head, assemble trunk +
 * head into one DL4J graph, write the bundle, evaluate it on the test split.
 */
public final class TrainingRun {

    public static final String BUNDLE_DIR = "bundle";

    /** How the run scores images (test split, near-OOD photos): one interpreter, one thread. */
    private static final ClassifierOptions SCORING = new ClassifierOptions(ImageLimits.DEFAULT, new RuntimeOptions(1, 1));

    private TrainingRun() {
    }

    /**
     * What a run produced.
     *
     * @param state    the head's training
     * @param fineTune the fine-tuning's, null when it was off
     */
    public record Result(Path bundle, TrainingState state, TrainingState fineTune, EvaluationReport test) {
    }

    public static Result run(TrainOptions o, PrintStream log) throws IOException {
        long start = System.nanoTime();
        List<String> splits = o.evaluateTest() ? ImageFolderDataset.SPLITS : List.of("train", "validation");
        ImageFolderDataset dataset = ImageFolderDataset.open(o.data(), splits);
        dataset.printSummary(log);
        Files.createDirectories(o.out());

        Trunks trunks = Trunks.pretrained(o.backbone(), o.weights(), log);
        Preprocessing preprocessing = trunks.backbone().preprocessing().withTta(o.tta());
        Trained trained = train(o, dataset, trunks, log, start);

        ObjectNode metrics = Json.mapper().createObjectNode();
        TrainingState last = trained.fineTune() != null ? trained.fineTune() : trained.head();
        metrics.put("bestEpoch", last.bestEpoch());
        metrics.put("validationAccuracy", last.bestValidationAccuracy());
        metrics.put("validationLoss", last.bestValidationLoss());
        metrics.put("headValidationAccuracy", trained.head().bestValidationAccuracy());
        metrics.put("temperature", trained.temperature());
        metrics.set("head", Json.mapper().valueToTree(o.head()));
        if (trained.fineTune() != null) {
            metrics.set("fineTune", Json.mapper().valueToTree(o.fineTune()));
            metrics.put("fineTuneCut", trained.cut());
        }
        metrics.set("augmentation", Json.mapper().valueToTree(o.augmentation()));
        metrics.put("augmentVariants", o.variants());
        ModelBundle bundle = ModelBundle.of(manifest(dataset, preprocessing, trained.temperature(), trunks,
                trained.dataDigest()), dataset.classes(), trained.model(), metrics);
        // Images are scored by the bundle's graph as `convert` writes it to float32 TFLite: the same answers
        // (within float rounding, see the converter's parity checks) ~50x faster than DL4J runs them. A graph
        // graph-export cannot convert (VGG16, Xception) is scored by DL4J.
        // One thread per interpreter: a two-thread pool spins while the other thread waits for a core, which
        // on a loaded machine made scoring ~50x slower than one thread.
        Function<ModelBundle, Classifier> fast = b -> new Classifier(trained.graph() == null ? b
                : ServingBundles.of(b, trained.graph(), false, WeightFormat.FLOAT32, "tflite-float32"), SCORING);
        bundle = OodFitting.fit(bundle, trained.ood(), trained.embedding(), fast, o.data(), o.out(), log);

        // Evaluated from memory, so the bundle is written once, test metrics included.
        EvaluationReport test = null;
        if (o.evaluateTest()) {
            log.printf("evaluating the test split with %s%n", trained.graph() == null ? "the DL4J bundle"
                    : "the bundle's graph converted to float32 TFLite");
            try (Classifier classifier = fast.apply(bundle)) {
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
        return new Result(bundleDir, trained.head(), trained.fineTune(), test);
    }

    /**
     * The assembled model, serialised and in the intermediate form (embedding as second output), and how it
     * was trained.
     *
     * @param graph     null when graph-export cannot convert it (VGG16, Xception)
     * @param embedding the vertex the output layer reads
     */
    private record Trained(byte[] model, IrGraph graph, String embedding, double temperature, TrainingState head,
                           TrainingState fineTune, String cut, String dataDigest, OodFitting.Fit ood) {
    }

    /**
     * Features (or cut-point activations when fine-tuning), the head, then the fine-tuned top; the
     * assembled graph is serialised and closed here.
     */
    private static Trained train(TrainOptions o, ImageFolderDataset dataset, Trunks trunks, PrintStream log,
                                 long start) throws IOException {
        int classes = dataset.classes().size();
        // Fine-tuning cuts the one trunk (TrainOptions refuses it with several).
        PretrainedTrunk trunk = trunks.parts().get(0);
        ComputationGraph trunkGraph = o.fineTune().enabled() ? FeatureTrunk.graph(trunk) : null;
        try {
            TrunkCut cut = o.fineTune().enabled() ? new TrunkCut(trunkGraph, trunk.backbone().inputSize(),
                    o.fineTune().cut() != null ? o.fineTune().cut() : trunk.backbone().fineTuneCut()) : null;
            FeatureSet train;
            FeatureSet validation;
            List<FeatureTrunk> executors = new ArrayList<>();
            try {
                executors.addAll(cut != null ? List.of(FeatureTrunk.toCut(trunk, cut, o.workers()))
                        : FeatureTrunk.of(trunks, o.workers()));
                FeatureExtraction extraction = new FeatureExtraction(executors, new FeatureCache(o.cache()),
                        new Augmenter(o.augmentation()), o.augmentSeed(), o.workers());
                train = extraction.extract("train", dataset.split("train"), o.variants(), log);
                validation = extraction.extract("validation", dataset.split("validation"), 1, log);
            } finally {
                executors.forEach(FeatureTrunk::close);
            }
            log.printf(Locale.ROOT, "%s: %d training rows (%d images x %d variants), %d validation; %.0f s so far%n",
                    cut != null ? "activations at " + cut.cut() : "features", train.size(),
                    train.size() / o.variants(), o.variants(), validation.size(), seconds(start));

            String dataDigest = digest(dataset.split("train"), dataset.split("validation"), train, validation);
            String runDigest = dataDigest + "|" + trunks.weightsSha256() + "|" + o.variants() + "|" + o.augmentation()
                    + "|" + o.augmentSeed()
                    + (cut != null ? "|pooled from " + cut.cut() : "");
            if (cut == null) {
                HeadTrainer.Result head = new HeadTrainer(o.head(), o.out().resolve("checkpoints"))
                        .train(train, validation, classes, runDigest, o.resume(), log);
                TrainingCurves.write(head.state().history(), List.of(), o.out().resolve("training-curves.png"));
                INDArray validationX = Nd4j.create(validation.features());
                double temperature = calibrate(GraphTrainer.predict(head.head(), validationX), validation.labels(), log);
                OodFitting.Fit ood = oodFit(head.head(), train, validationX, validation);
                ModelAssembly.Assembled assembled = ModelAssembly.assemble(trunks, o.head(), head.head(), classes);
                head.head().close();
                IrGraph ir = intermediate(assembled, trunks);
                return new Trained(serialise(assembled.graph()), ir, assembled.embedding(), temperature, head.state(),
                        null, null, dataDigest, ood);
            }
            FeatureSet trainPooled;
            FeatureSet validationPooled;
            try (TfliteTop top = TfliteTop.compiled(cut, o.workers())) {
                trainPooled = top.pooled(train);
                validationPooled = top.pooled(validation);
            }
            HeadTrainer.Result head = new HeadTrainer(o.head(), o.out().resolve("checkpoints"))
                    .train(trainPooled, validationPooled, classes, runDigest, o.resume(), log);
            int[] trainLabels = train.labels();
            int[] trainImages = Embeddings.imageRows(train);
            INDArray trainCut = cut.toNchw(train.features());
            INDArray validationCut = cut.toNchw(validation.features());
            train = null; // the activations (0.5 GB for the dataset) now live once, off the heap
            log.printf(Locale.ROOT, "fine-tuning the trunk above %s with the head; %.0f s so far%n", cut.cut(),
                    seconds(start));
            FineTuner.Result tuned = new FineTuner(o.fineTune(), o.head(), o.out().resolve("checkpoints/fine-tune"))
                    .train(cut, head.head(), trainCut, trainLabels, o.variants(), validationCut, validation.labels(),
                            classes, runDigest, o.resume(), log);
            head.head().close();
            TrainingCurves.write(head.state().history(), tuned.state().history(), o.out().resolve("training-curves.png"));
            double temperature = calibrate(GraphTrainer.predict(tuned.top(), validationCut), validation.labels(), log);
            OodFitting.Fit ood = OodFitting.Fit.of(tuned.top(), GraphTrainer.rows(trainCut, trainImages),
                    GraphTrainer.labels(trainLabels, trainImages), validationCut, validation.labels());
            ModelAssembly.Assembled assembled = ModelAssembly.assemble(trunks, o.head(), cut, tuned.top(), classes);
            tuned.top().close();
            IrGraph ir = intermediate(assembled, trunks);
            return new Trained(serialise(assembled.graph()), ir, assembled.embedding(), temperature, head.state(),
                    tuned.state(), cut.cut(), dataDigest, ood);
        } finally {
            if (trunkGraph != null) {
                trunkGraph.close();
            }
        }
    }

    /** The assembled graph as graph-export reads it, the embedding as a second output; null when it cannot. */
    private static IrGraph intermediate(ModelAssembly.Assembled assembled, Trunks trunks) {
        int size = trunks.backbone().inputSize();
        try {
            return Dl4jImporter.importGraph(assembled.graph(), size, size, 3, List.of(assembled.embedding()));
        } catch (UnsupportedLayerException e) {
            return null;
        }
    }

    /** The scorers' inputs for the head trained on {@code train}'s features: each image itself, no augmented copy. */
    private static OodFitting.Fit oodFit(ComputationGraph head, FeatureSet train, INDArray validationX,
                                         FeatureSet validation) {
        int[] images = Embeddings.imageRows(train);
        float[][] rows = new float[images.length][];
        for (int i = 0; i < images.length; i++) {
            rows[i] = train.features()[images[i]];
        }
        return OodFitting.Fit.of(head, Nd4j.create(rows), GraphTrainer.labels(train.labels(), images), validationX,
                validation.labels());
    }

    /** Writes and closes {@code graph}. */
    private static byte[] serialise(ComputationGraph graph) throws IOException {
        try {
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            ModelSerializer.writeModel(graph, model, false);
            return model.toByteArray();
        } finally {
            graph.close();
        }
    }

    /** Temperature fitted on validation (argmax unchanged), reported as calibration error before and after. */
    private static double calibrate(INDArray probabilities, int[] labels, PrintStream log) {
        float[][] p = probabilities.toFloatMatrix();
        double t = Metrics.fitTemperature(p, labels);
        float[][] scaled = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            scaled[i] = dev.clothes.inference.classify.Scores.probabilities(p[i], new Postprocessing(false, t));
        }
        log.printf(Locale.ROOT, "temperature %.3f: validation ECE %.4f -> %.4f%n", t,
                Metrics.expectedCalibrationError(p, labels, 15),
                Metrics.expectedCalibrationError(scaled, labels, 15));
        return t;
    }

    private static BundleManifest manifest(ImageFolderDataset dataset, Preprocessing preprocessing,
                                           double temperature, Trunks trunks, String dataDigest) {
        int size = preprocessing.width();
        TensorSpec input = new TensorSpec(ModelAssembly.INPUT, List.of(1, 3, size, size), TensorType.FLOAT32, null);
        TensorSpec output = new TensorSpec(ModelAssembly.OUTPUT, List.of(1, dataset.classes().size()),
                TensorType.FLOAT32, null);
        Provenance provenance = new Provenance(Instant.now().toString(), "trainer 0.1.0",
                "transfer learning: " + trunks.id() + " (" + trunks.weightsFiles() + ") on "
                        + dataset.root(), dataDigest, trunks.weightsSha256(), gitCommit());
        return new BundleManifest(BundleManifest.FORMAT_VERSION, "clothes-" + trunks.id(), "1",
                Dl4jRuntimeProvider.ID, "model.dl4j.zip", "labels.txt", null, input, output, preprocessing,
                new Postprocessing(false, temperature), provenance);
    }

    /**
     * sha256 over the training and validation files' own sha256s, in order, as the feature
     * extraction read them.
     */
    public static String digest(List<LabeledImage> train, List<LabeledImage> validation, FeatureSet trainFeatures,
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
