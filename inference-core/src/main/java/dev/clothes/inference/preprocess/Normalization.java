package dev.clothes.inference.preprocess;

import java.util.List;

/**
 * {@code value = (pixel - mean[c]) / std[c]} for pixel values 0..255, with {@code c} the channel in
 * the model's channel order. Real-valued: a quantized runtime quantizes with its tensor's own
 * scale and zero point.
 */
public record Normalization(List<Double> mean, List<Double> std) {

    /** Inception / MobileNet ({@code tf.keras.applications.*.preprocess_input}, "tf" mode). */
    public static final Normalization MINUS_ONE_TO_ONE = uniform(127.5, 127.5);
    /** Pixels scaled to [0, 1]. */
    public static final Normalization ZERO_TO_ONE = uniform(0, 255);
    /** Pixels as they are, 0..255. */
    public static final Normalization RAW = uniform(0, 1);

    public Normalization {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("normalization needs 3 means and 3 standard deviations");
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("standard deviation must be a positive number, got " + s);
            }
        }
    }

    public static Normalization uniform(double mean, double std) {
        return new Normalization(List.of(mean, mean, mean), List.of(std, std, std));
    }
}
