package dev.clothes.inference.image;

/**
 * Budgets checked before an image is fully decoded, so a decompression bomb is refused from its
 * header instead of exhausting memory.
 */
public record ImageLimits(long maxBytes, long maxPixels) {

    public static final ImageLimits DEFAULT = new ImageLimits(10L * 1024 * 1024, 40_000_000L);

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("image limits must be positive");
        }
    }
}
