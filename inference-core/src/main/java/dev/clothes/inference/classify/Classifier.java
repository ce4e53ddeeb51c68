package dev.clothes.inference.classify;

import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.ood.OodScoring;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.preprocess.TestTimeAugmentation;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelRuntimes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Image bytes to ranked labels with one model bundle: decode, preprocess (as the bundle says),
 * run (twice, the image and its mirror, averaged, when the bundle asks for test-time flips), postprocess,
 * and, when the bundle has out-of-distribution scorers, say whether the image looks like none of the classes. Thread-safe; close it to free the model's native memory.
 */
public final class Classifier implements AutoCloseable {

    private final ModelBundle bundle;
    private final ImageDecoder decoder;
    private final Preprocessor preprocessor;
    private final ModelRuntime runtime;
    private final OodScoring ood;
    private final boolean flip;

    public Classifier(ModelBundle bundle, ClassifierOptions options) {
        this.bundle = bundle;
        this.decoder = new ImageDecoder(options.imageLimits());
        this.preprocessor = new Preprocessor(bundle.manifest().preprocessing());
        this.flip = bundle.manifest().preprocessing().tta() == TestTimeAugmentation.FLIP;
        // Scorers first: a bundle with bad scorer data is refused before any native memory is taken.
        this.ood = OodScoring.of(bundle).orElse(null);
        this.runtime = ModelRuntimes.open(bundle, options.runtime());
    }

    /** Loads, verifies and opens the bundle at {@code path} (directory or zip); the runtime opens while it is verified. */
    public static Classifier open(Path path, ClassifierOptions options) {
        return ModelBundle.loadWhileVerifying(path, bundle -> new Classifier(bundle, options));
    }

    /**
     * Classifies encoded image bytes.
     *
     * @throws dev.clothes.inference.image.ImageDecodeException when the bytes are not a usable image
     */
    public Classification classify(byte[] image, int topK) {
        long t0 = System.nanoTime();
        RgbImage decoded = decode(image);
        long decode = System.nanoTime() - t0;
        Classification c = classify(decoded, topK);
        Timings t = c.timings();
        return new Classification(c.predictions(), c.probabilities(),
                new Timings(decode, t.preprocessNanos(), t.inferenceNanos()), c.outOfDistribution());
    }

    public Classification classify(RgbImage image, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        long t0 = System.nanoTime();
        float[] input = preprocessor.apply(image);
        long t1 = System.nanoTime();
        ModelOutputs out = infer(input);
        float[] scores = Scores.probabilities(out.scores(), bundle.manifest().postprocessing());
        long t2 = System.nanoTime();
        return new Classification(Scores.topK(scores, bundle.labels(), topK), scores, new Timings(0, t1 - t0, t2 - t1),
                ood == null ? null : ood.assess(scores, out.embedding()));
    }

    /** Probabilities of every class, in label order (for evaluation and parity checks). */
    public float[] probabilities(RgbImage image) {
        return Scores.probabilities(infer(preprocessor.apply(image)).scores(), bundle.manifest().postprocessing());
    }

    /** Probabilities of every class for several images, in one batch where the runtime supports it. */
    public float[][] probabilities(List<RgbImage> images) {
        return scores(images).stream().map(ImageScores::probabilities).toArray(float[][]::new);
    }

    /** Probabilities and every out-of-distribution score for several images, batched where the runtime can. */
    public List<ImageScores> scores(List<RgbImage> images) {
        float[][] inputs = new float[images.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = preprocessor.apply(images.get(i));
        }
        ModelOutputs[] outputs = inferBatch(inputs);
        ImageScores[] scored = new ImageScores[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            float[] p = Scores.probabilities(outputs[i].scores(), bundle.manifest().postprocessing());
            scored[i] = new ImageScores(p, ood == null ? Map.of() : ood.scoreAll(p, outputs[i].embedding()));
        }
        return List.of(scored);
    }

    /**
     * The model's raw outputs (scores before postprocessing, embedding) for one image, for parity checks; with
     * test-time augmentation, the average over the views.
     */
    public ModelOutputs outputs(RgbImage image) {
        return infer(preprocessor.apply(image));
    }

    /** One run, or with {@link TestTimeAugmentation#FLIP} the average of the input's and its mirror's. */
    private ModelOutputs infer(float[] input) {
        ModelOutputs out = runtime.infer(input);
        return flip ? average(out, runtime.infer(preprocessor.mirror(input))) : out;
    }

    private ModelOutputs[] inferBatch(float[][] inputs) {
        if (!flip) {
            return runtime.inferBatch(inputs);
        }
        float[][] both = new float[inputs.length * 2][];
        for (int i = 0; i < inputs.length; i++) {
            both[2 * i] = inputs[i];
            both[2 * i + 1] = preprocessor.mirror(inputs[i]);
        }
        ModelOutputs[] outputs = runtime.inferBatch(both);
        ModelOutputs[] averaged = new ModelOutputs[inputs.length];
        for (int i = 0; i < averaged.length; i++) {
            averaged[i] = average(outputs[2 * i], outputs[2 * i + 1]);
        }
        return averaged;
    }

    /** Element-wise (a + b) / 2 of scores and embedding. */
    public static ModelOutputs average(ModelOutputs a, ModelOutputs b) {
        return new ModelOutputs(mean(a.scores(), b.scores()), a.embedding() == null ? null : mean(a.embedding(), b.embedding()));
    }

    private static float[] mean(float[] a, float[] b) {
        float[] m = new float[a.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (a[i] + b[i]) * 0.5f;
        }
        return m;
    }

    /** The bundle's out-of-distribution scorers, when it has them. */
    public Optional<OodScoring> outOfDistribution() {
        return Optional.ofNullable(ood);
    }

    /** Decodes as the bundle's preprocessing says (at a reduced scale where it allows), for {@link #classify(RgbImage, int)}. */
    public RgbImage decode(byte[] image) {
        return decoder.decode(image, preprocessor.spec().decodeScale());
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    public BundleManifest manifest() {
        return bundle.manifest();
    }

    public List<String> labels() {
        return bundle.labels();
    }

    /** The bundle's identity: the sha256 of its {@code checksums.sha256}, which lists every file's digest. */
    public String bundleSha256() {
        return bundle.sha256();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
