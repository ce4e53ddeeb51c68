package dev.clothes.inference.ood;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.FloatBlock;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.OutOfDistributionConfig;
import dev.clothes.inference.bundle.ScorerSpec;
import dev.clothes.inference.bundle.TensorSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A bundle's fitted scorers, rebuilt from {@code bundle.json} and its binary file, and their thresholds. */
public final class OodScoring {

    private static final List<String> KNOWN = List.of(MaxSoftmaxScorer.NAME, EnergyScorer.NAME, MahalanobisScorer.NAME,
            KnnCosineScorer.NAME, CombinedScorer.NAME);

    private final List<OodScorer> scorers;
    private final OodScorer decider;
    private final double threshold;

    private OodScoring(OutOfDistributionConfig config, List<OodScorer> scorers) {
        this.scorers = List.copyOf(scorers);
        this.decider = scorers.stream().filter(s -> s.name().equals(config.defaultScorer())).findFirst().orElseThrow();
        this.threshold = config.scorer(config.defaultScorer()).threshold();
    }

    /** The bundle's scorers, or empty for a bundle without them; a bundle whose scorer data does not fit is refused. */
    public static Optional<OodScoring> of(ModelBundle bundle) {
        OutOfDistributionConfig config = bundle.manifest().outOfDistribution();
        if (config == null) {
            return Optional.empty();
        }
        FloatBuffer data = bundle.outOfDistributionData()
                .map(b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer())
                .orElse(FloatBuffer.allocate(0));
        TensorSpec embedding = bundle.manifest().embedding();
        int dim = embedding == null ? -1 : embedding.elementCount();
        int classes = bundle.labels().size();
        Map<String, OodScorer> built = new LinkedHashMap<>();
        // Two passes: a combination reads the scorers it combines.
        for (boolean combinations : new boolean[] {false, true}) {
            for (ScorerSpec spec : config.scorers()) {
                if (spec.name().equals(CombinedScorer.NAME) != combinations) {
                    continue;
                }
                try {
                    built.put(spec.name(), combinations ? combined(spec, data, built) : build(spec, data, dim, classes));
                } catch (IllegalArgumentException e) {
                    throw new BundleException(bundle.source() + ": out-of-distribution scorer " + spec.name() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        List<OodScorer> scorers = config.scorers().stream().map(s -> built.get(s.name())).toList();
        return Optional.of(new OodScoring(config, scorers));
    }

    /** @param dim the embedding's size, -1 when the bundle declares none */
    private static OodScorer build(ScorerSpec spec, FloatBuffer data, int dim, int classes) {
        if (dim < 0 && !spec.name().equals(MaxSoftmaxScorer.NAME) && KNOWN.contains(spec.name())) {
            throw new IllegalArgumentException("it needs the embedding, which bundle.json does not declare");
        }
        return switch (spec.name()) {
            case MaxSoftmaxScorer.NAME -> new MaxSoftmaxScorer();
            case EnergyScorer.NAME -> new EnergyScorer(matrix(spec, "weights", data, classes, dim),
                    matrix(spec, "bias", data, 1, classes)[0], parameter(spec, "temperature"));
            case MahalanobisScorer.NAME -> new MahalanobisScorer(matrix(spec, "means", data, classes, dim),
                    matrix(spec, "precision", data, dim, dim));
            case KnnCosineScorer.NAME -> {
                double k = parameter(spec, "k");
                if (k != Math.rint(k)) {
                    throw new IllegalArgumentException("k must be a whole number, got " + k);
                }
                yield new KnnCosineScorer(rowMajor(spec, "neighbours", data, -1, dim), dim, (int) k);
            }
            default -> throw new IllegalArgumentException("unknown scorer; this build knows " + KNOWN);
        };
    }

    /** Each array names a scorer of the bundle and holds its validation scores, ascending. */
    private static CombinedScorer combined(ScorerSpec spec, FloatBuffer data, Map<String, OodScorer> built) {
        List<OodScorer> parts = new ArrayList<>();
        List<float[]> validation = new ArrayList<>();
        for (Map.Entry<String, FloatBlock> e : spec.arrays().entrySet()) {
            OodScorer part = built.get(e.getKey());
            if (part == null) {
                throw new IllegalArgumentException("it combines '" + e.getKey() + "', which the bundle does not have");
            }
            parts.add(part);
            validation.add(rowMajor(spec, e.getKey(), data, 1, e.getValue().cols()));
        }
        return new CombinedScorer(parts, validation);
    }

    /** The block named {@code name}, checked to be rows x cols (-1: any number of rows). */
    private static float[][] matrix(ScorerSpec spec, String name, FloatBuffer data, int rows, int cols) {
        float[] values = rowMajor(spec, name, data, rows, cols);
        float[][] m = new float[values.length / cols][cols];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(values, r * cols, m[r], 0, cols);
        }
        return m;
    }

    /** The same block as one array, row after row. */
    private static float[] rowMajor(ScorerSpec spec, String name, FloatBuffer data, int rows, int cols) {
        FloatBlock block = spec.arrays().get(name);
        if (block == null) {
            throw new IllegalArgumentException("no array '" + name + "'");
        }
        if ((rows >= 0 && block.rows() != rows) || block.cols() != cols) {
            throw new IllegalArgumentException("array '" + name + "' is " + block.rows() + "x" + block.cols()
                    + ", expected " + (rows < 0 ? "n" : rows) + "x" + cols);
        }
        if (block.offset() + block.length() > data.capacity()) {
            throw new IllegalArgumentException("array '" + name + "' ends at float " + (block.offset() + block.length())
                    + " but the file holds " + data.capacity());
        }
        float[] values = new float[Math.toIntExact(block.length())];
        data.get(Math.toIntExact(block.offset()), values);
        return values;
    }

    private static double parameter(ScorerSpec spec, String name) {
        Double value = spec.parameters().get(name);
        if (value == null || !Double.isFinite(value)) {
            throw new IllegalArgumentException("parameter '" + name + "' is missing or not finite: " + value);
        }
        return value;
    }

    /** The default scorer's verdict on one image. */
    public OutOfDistribution assess(float[] probabilities, float[] embedding) {
        return new OutOfDistribution(decider.score(probabilities, embedding), threshold, decider.name());
    }

    /** The default scorer's verdict from the scores {@link #scoreAll} gave. */
    public OutOfDistribution verdict(Map<String, Double> scores) {
        return new OutOfDistribution(scores.get(decider.name()), threshold, decider.name());
    }

    /** Every scorer's score, by name, in {@code bundle.json} order. */
    public Map<String, Double> scoreAll(float[] probabilities, float[] embedding) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (OodScorer s : scorers) {
            if (!(s instanceof CombinedScorer)) {
                scores.put(s.name(), s.score(probabilities, embedding));
            }
        }
        for (OodScorer s : scorers) {
            if (s instanceof CombinedScorer c) {
                scores.put(s.name(), c.combine(scores));
            }
        }
        // In bundle.json order.
        Map<String, Double> ordered = new LinkedHashMap<>();
        scorers.forEach(s -> ordered.put(s.name(), scores.get(s.name())));
        return ordered;
    }
}
