package dev.clothes.inference.image;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.leptonica.PIX;
import org.bytedeco.leptonica.global.lept;

/**
 * JPEG decoding with libjpeg-turbo (through Leptonica's JavaCPP preset) at 1/2, 1/4 or 1/8 scale straight
 * from the DCT coefficients: a 2400x1350 photo for a 224x224 model is decoded as 600x338, each pixel the
 * average of its 4x4 block rather than one sample of it. Thread-safe: every call has its own decompressor.
 */
final class TurboJpeg {

    /** False where the native library cannot load (a platform it was not built for): ImageIO then decodes. */
    static final boolean AVAILABLE = load();

    private static boolean load() {
        try {
            // Leptonica's own messages would go to stderr; failures are reported by return value instead.
            lept.setMsgSeverity(lept.L_SEVERITY_NONE);
            return true;
        } catch (LinkageError e) {
            System.err.println("libjpeg-turbo unavailable, JPEGs are decoded by ImageIO: " + e);
            return false;
        }
    }

    private TurboJpeg() {
    }

    /**
     * The image at {@code 1/reduction} scale (each side rounded up), or null when libjpeg-turbo refuses
     * the data or warns about it (truncated or corrupt entropy data): the caller then decodes with
     * ImageIO, which decides between a typed error and a tolerated warning as it always has.
     */
    static RgbImage decode(byte[] jpeg, int reduction) {
        int[] warnings = new int[1];
        PIX pix = lept.pixReadMemJpeg(jpeg, jpeg.length, 0, reduction, warnings, 0);
        if (pix == null || pix.isNull()) {
            return null;
        }
        try {
            if (warnings[0] != 0) {
                return null;
            }
            return toRgb(pix);
        } finally {
            lept.pixDestroy(pix);
        }
    }

    /** Leptonica packs 32-bit RGB as 0xRRGGBBaa words and 8-bit grey four pixels to a word, first pixel highest. */
    private static RgbImage toRgb(PIX pix) {
        int w = lept.pixGetWidth(pix);
        int h = lept.pixGetHeight(pix);
        int depth = lept.pixGetDepth(pix);
        if (depth != 32 && depth != 8 || pix.colormap() != null && !pix.colormap().isNull()) {
            return null;
        }
        int wpl = lept.pixGetWpl(pix);
        int[] words = new int[Math.multiplyExact(wpl, h)];
        IntPointer data = lept.pixGetData(pix);
        data.capacity(words.length).get(words);
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        for (int y = 0, d = 0; y < h; y++) {
            int row = y * wpl;
            if (depth == 32) {
                for (int x = 0; x < w; x++, d += 3) {
                    int v = words[row + x];
                    rgb[d] = (byte) (v >>> 24);
                    rgb[d + 1] = (byte) (v >>> 16);
                    rgb[d + 2] = (byte) (v >>> 8);
                }
            } else {
                for (int x = 0; x < w; x++, d += 3) {
                    byte v = (byte) (words[row + (x >> 2)] >>> (24 - 8 * (x & 3)));
                    rgb[d] = v;
                    rgb[d + 1] = v;
                    rgb[d + 2] = v;
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
