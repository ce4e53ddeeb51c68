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

    /** A copy as a Java2D image, for pictures and reports. */
    public java.awt.image.BufferedImage toBufferedImage() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i += 3) {
            bgr[i] = pixels[i + 2];
            bgr[i + 1] = pixels[i + 1];
            bgr[i + 2] = pixels[i];
        }
        return image;
    }

    /** Channel value 0..255 of pixel (x, y). For tests and tools, not for hot loops. */
    public int channel(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }
}
