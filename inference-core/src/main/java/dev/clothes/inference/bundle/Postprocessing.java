package dev.clothes.inference.bundle;

/**
 * How raw model outputs become class scores.
 *
 * @param softmax     whether the outputs are logits that still need a softmax
 * @param temperature logits are divided by this before the softmax (calibration); 1 = none
 */
public record Postprocessing(boolean softmax, double temperature) {

    public static final Postprocessing PROBABILITIES = new Postprocessing(false, 1.0);
    public static final Postprocessing LOGITS = new Postprocessing(true, 1.0);

    public Postprocessing {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
    }
}
