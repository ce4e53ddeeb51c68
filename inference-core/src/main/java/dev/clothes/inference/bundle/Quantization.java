package dev.clothes.inference.bundle;

/** Affine quantization of a tensor: {@code real = (q - zeroPoint) * scale}. */
public record Quantization(double scale, long zeroPoint) {

    public Quantization {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("quantization scale must be positive, got " + scale);
        }
    }
}
