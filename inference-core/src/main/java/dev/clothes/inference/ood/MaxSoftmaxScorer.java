package dev.clothes.inference.ood;

/** The baseline: 1 - the top class probability, so a hesitant model is less sure. */
public record MaxSoftmaxScorer() implements OodScorer {

    public static final String NAME = "msp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(float[] probabilities, float[] embedding) {
        float max = probabilities[0];
        for (float p : probabilities) {
            max = Math.max(max, p);
        }
        return 1.0 - max;
    }
}
