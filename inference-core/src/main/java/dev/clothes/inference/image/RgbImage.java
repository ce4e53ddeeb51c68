package dev.clothes.inference.image;

import java.util.Objects;

/**
 * A decoded picture as interleaved 8-bit RGB, row-major: pixel (x, y) channel c lives at
 * {@code (y * width + x) * 3 + c}. The one image type every stage (training, evaluation, serving)
 * hands to preprocessing.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
            throw new IllegalArgumentException(
                    "expected " + width + "x" + height + "x3 bytes, got " + pixels.length);
        }
    }

    /** Channel value 0..255 of pixel (x, y). For tests and tools, not for hot loops. */
    public int channel(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }
}
