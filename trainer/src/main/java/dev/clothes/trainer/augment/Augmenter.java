package dev.clothes.trainer.augment;

import dev.clothes.inference.image.RgbImage;

import java.util.SplittableRandom;

/**
 * Applies an {@link Augmentation} to a decoded image: one inverse affine warp (rotation, shear,
 * zoom, shift, flip about the centre) sampled bilinearly with Keras' "nearest" edge fill, then
 * brightness and contrast. The same image, seed and variant always give the same result.
 */
public final class Augmenter {

    private final Augmentation spec;

    public Augmenter(Augmentation spec) {
        this.spec = spec;
    }

    public Augmentation spec() {
        return spec;
    }

    /** Variant 0 is the image itself; others are random but reproducible from (seed, key, variant). */
    public RgbImage apply(RgbImage image, long seed, String key, int variant) {
        if (variant == 0 || spec.equals(Augmentation.NONE)) {
            return image;
        }
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L ^ key.hashCode() * 31L ^ variant);
        double angle = Math.toRadians(uniform(random, spec.rotationDegrees()));
        double shear = Math.toRadians(uniform(random, spec.shearDegrees()));
        double zoomX = 1 + uniform(random, spec.zoom());
        double zoomY = 1 + uniform(random, spec.zoom());
        double shiftX = uniform(random, spec.widthShift()) * image.width();
        double shiftY = uniform(random, spec.heightShift()) * image.height();
        boolean flip = spec.horizontalFlip() && random.nextBoolean();
        double brightness = uniform(random, spec.brightness()) * 255;
        double contrast = 1 + uniform(random, spec.contrast());
        return photometric(warp(image, angle, shear, zoomX, zoomY, shiftX, shiftY, flip), brightness, contrast);
    }

    private static double uniform(SplittableRandom random, double range) {
        return range == 0 ? 0 : random.nextDouble(-range, range);
    }

    /**
     * Output pixel (x, y) samples the source at A^-1 (p - c - t) + c with A = rotation * shear * zoom
     * (Keras' composition order) and c the image centre.
     */
    static RgbImage warp(RgbImage src, double angle, double shear, double zoomX, double zoomY, double shiftX,
                         double shiftY, boolean flip) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        // A = R * S * Z, with S = [[1, -sin(shear)], [0, cos(shear)]] as in Keras.
        double a00 = cos * zoomX;
        double a01 = (cos * -Math.sin(shear) - sin * Math.cos(shear)) * zoomY;
        double a10 = sin * zoomX;
        double a11 = (sin * -Math.sin(shear) + cos * Math.cos(shear)) * zoomY;
        double det = a00 * a11 - a01 * a10;
        double i00 = a11 / det;
        double i01 = -a01 / det;
        double i10 = -a10 / det;
        double i11 = a00 / det;
        int w = src.width();
        int h = src.height();
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        byte[] in = src.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double px = (flip ? w - 1 - x : x) - cx - shiftX;
                double py = y - cy - shiftY;
                double sx = i00 * px + i01 * py + cx;
                double sy = i10 * px + i11 * py + cy;
                sampleBilinear(in, w, h, sx, sy, out, (y * w + x) * 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    private static void sampleBilinear(byte[] in, int w, int h, double sx, double sy, byte[] out, int o) {
        // "nearest" fill: coordinates outside the image take the closest edge pixel.
        sx = Math.max(0, Math.min(w - 1, sx));
        sy = Math.max(0, Math.min(h - 1, sy));
        int x0 = (int) sx;
        int y0 = (int) sy;
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        double fx = sx - x0;
        double fy = sy - y0;
        for (int c = 0; c < 3; c++) {
            double top = (in[(y0 * w + x0) * 3 + c] & 0xFF) * (1 - fx) + (in[(y0 * w + x1) * 3 + c] & 0xFF) * fx;
            double bottom = (in[(y1 * w + x0) * 3 + c] & 0xFF) * (1 - fx) + (in[(y1 * w + x1) * 3 + c] & 0xFF) * fx;
            out[o + c] = (byte) Math.round(top * (1 - fy) + bottom * fy);
        }
    }

    static RgbImage photometric(RgbImage image, double brightness, double contrast) {
        if (brightness == 0 && contrast == 1) {
            return image;
        }
        byte[] px = image.pixels();
        double mean = 0;
        for (byte b : px) {
            mean += b & 0xFF;
        }
        mean /= px.length;
        byte[] out = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            double v = ((px[i] & 0xFF) - mean) * contrast + mean + brightness;
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
        return new RgbImage(image.width(), image.height(), out);
    }
}
