package dev.clothes.inference.ood;

/**
 * The energy −T·logsumexp(logits/T), with the logits recomputed from the embedding through the
 * last layer's weights: every runtime then needs only its probabilities and the embedding.
 *
 * @param weights [classes][embedding] of the last layer; {@code bias} [classes]
 */
public record EnergyScorer(float[][] weights, float[] bias, double temperature) implements OodScorer {

    public static final String NAME = "energy";

    public EnergyScorer {
        if (weights.length != bias.length) {
            throw new IllegalArgumentException("energy: " + weights.length + " weight rows but " + bias.length + " biases");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("energy: temperature must be positive, got " + temperature);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(float[] probabilities, float[] embedding) {
        double[] z = new double[bias.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < z.length; c++) {
            double sum = bias[c];
            float[] w = weights[c];
            for (int j = 0; j < w.length; j++) {
                sum += w[j] * embedding[j];
            }
            z[c] = sum / temperature;
            max = Math.max(max, z[c]);
        }
        double total = 0;
        for (double v : z) {
            total += Math.exp(v - max);
        }
        return -temperature * (max + Math.log(total));
    }
}
