package dev.clothes.inference.image;

import dev.clothes.inference.image.ImageDecodeException.Reason;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * Bytes to upright RGB: JPEG (incl. CMYK/YCCK, EXIF orientation), PNG (alpha composited on
 * white), GIF (first frame), BMP and WebP, through ImageIO with the TwelveMonkeys plugins. When a
 * {@link DecodeScale} allows a smaller image, plain JPEGs (8-bit grey or YCbCr, no ICC profile) are decoded by
 * libjpeg-turbo at that DCT scale, other formats subsampled by their reader. Budgets are checked on the header
 * before pixels are decoded; the EXIF orientation is parsed once. Thread-safe.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageLimits limits() {
        return limits;
    }

    /** Decodes every pixel, or throws {@link ImageDecodeException}; never another exception type. */
    public RgbImage decode(byte[] bytes) {
        return decode(bytes, DecodeScale.FULL);
    }

    /**
     * Decodes at the reduction {@code scale} picks for the image's upright size, or throws
     * {@link ImageDecodeException}; never another exception type. The pixel budget applies to the stored size.
     */
    public RgbImage decode(byte[] bytes, DecodeScale scale) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(Reason.EMPTY, "the image is empty (0 bytes)");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageDecodeException(Reason.TOO_MANY_BYTES, String.format(Locale.ROOT,
                    "the image is %,d bytes; the limit is %,d bytes", bytes.length, limits.maxBytes()));
        }
        try {
            // Every JPEG starts with SOI; the scale is chosen for the upright size, so this comes first.
            int orientation = ExifOrientation.startsLikeJpeg(bytes)
                    ? ExifOrientation.read(bytes) : ExifOrientation.NORMAL;
            JpegHeader jpeg = JpegHeader.read(bytes);
            if (jpeg != null && jpeg.plain()) {
                checkPixels(jpeg.width(), jpeg.height());
                int factor = orientation >= 5 ? reduction(scale, jpeg.height(), jpeg.width())
                        : reduction(scale, jpeg.width(), jpeg.height());
                // At full size ImageIO is as fast, and it keeps the pixels every bundle was trained on; the native
                // library loads at the first JPEG that is decoded smaller.
                RgbImage image = factor > 1 && TurboJpeg.AVAILABLE ? TurboJpeg.decode(bytes, factor) : null;
                if (image != null) {
                    return ExifOrientation.apply(image, orientation);
                }
            }
            return decodeWithImageIo(bytes, scale, orientation);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            // The last line of defence against a file whose inner headers declare far more than its outer
            // ones (checked above): the failed allocations are garbage now, and the caller gets a 400.
            throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, "decoding this image needs more memory than "
                    + "its declared size allows; its headers contradict each other");
        } catch (IOException | RuntimeException e) {
            // Plugins signal broken data with anything from IIOException to ArrayIndexOutOfBounds.
            throw new ImageDecodeException(Reason.CORRUPT,
                    "the image data is corrupt or truncated" + (e.getMessage() == null
                            ? " (" + e.getClass().getSimpleName() + ")" : ": " + e.getMessage()), e);
        }
    }

    /** @param jpegOrientation the EXIF orientation read from the bytes, used when ImageIO finds them a JPEG */
    private RgbImage decodeWithImageIo(byte[] bytes, DecodeScale scale, int jpegOrientation) throws IOException {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            WebPFrames.check(bytes, limits);
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT,
                        "not a supported image (JPEG, PNG, GIF, BMP or WebP); the data starts with "
                                + describeStart(bytes));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                boolean isJpeg = isJpeg(reader);
                int orientation = isJpeg ? jpegOrientation : ExifOrientation.NORMAL;
                RgbImage image = read(reader, scale, orientation);
                return isJpeg ? ExifOrientation.apply(image, orientation) : image;
            } finally {
                reader.dispose();
            }
        }
    }

    private void checkPixels(long width, long height) {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(Reason.CORRUPT, "the image declares no pixels (" + width + "x" + height + ")");
        }
        if (width * height > limits.maxPixels()) {
            throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                    "the image is %dx%d = %,d pixels; the limit is %,d pixels",
                    width, height, width * height, limits.maxPixels()));
        }
    }

    /** The scale's factor, held to 1, 2, 4 or 8. */
    private static int reduction(DecodeScale scale, int uprightWidth, int uprightHeight) {
        int factor = scale.factor(uprightWidth, uprightHeight);
        return factor >= 8 ? 8 : factor >= 4 ? 4 : factor >= 2 ? 2 : 1;
    }

    private RgbImage read(ImageReader reader, DecodeScale scale, int orientation) throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkPixels(width, height);
        ImageReadParam param = reader.getDefaultReadParam();
        int factor = orientation >= 5 ? reduction(scale, height, width) : reduction(scale, width, height);
        if (factor > 1) {
            param.setSourceSubsampling(factor, factor, 0, 0);
        }
        List<String> truncation = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            // Decoders fill a truncated JPEG with grey and only warn; a half-grey photo is not an input.
            String w = warning.toLowerCase(Locale.ROOT);
            if (w.contains("premature end") || w.contains("truncat")) {
                truncation.add(warning);
            }
        });
        BufferedImage decoded = reader.read(0, param);
        if (!truncation.isEmpty()) {
            throw new ImageDecodeException(Reason.CORRUPT, "the image data is truncated: " + truncation.get(0));
        }
        return toRgb(decoded);
    }

    private static boolean isJpeg(ImageReader reader) throws IOException {
        return "jpeg".equalsIgnoreCase(reader.getFormatName());
    }

    static RgbImage toRgb(BufferedImage image) {
        RgbImage direct = fromInterleavedBytes(image);
        if (direct != null) {
            return direct;
        }
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return fromGray(image);
        }
        BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bgr.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, bgr.getWidth(), bgr.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return fromInterleavedBytes(bgr);
    }

    /** Fast path for 8-bit interleaved sRGB without alpha: a band shuffle, no per-pixel colour model calls. */
    private static RgbImage fromInterleavedBytes(BufferedImage image) {
        Raster raster = image.getRaster();
        if (image.getColorModel().hasAlpha()
                || !image.getColorModel().getColorSpace().isCS_sRGB()
                || raster.getNumBands() != 3
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || !(raster.getSampleModel() instanceof ComponentSampleModel model)
                || model.getPixelStride() != 3
                || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
            return null;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] offsets = model.getBandOffsets();
        int stride = model.getScanlineStride();
        byte[] src = buffer.getData();
        int base = buffer.getOffset();
        byte[] dst = new byte[w * h * 3];
        int r = offsets[0];
        int gOff = offsets[1];
        int b = offsets[2];
        for (int y = 0, d = 0; y < h; y++) {
            int s = base + y * stride;
            for (int x = 0; x < w; x++, s += 3, d += 3) {
                dst[d] = src[s + r];
                dst[d + 1] = src[s + gOff];
                dst[d + 2] = src[s + b];
            }
        }
        return new RgbImage(w, h, dst);
    }

    /** Grey (8 or 16 bit, optional alpha) replicated to RGB; Java2D would gamma-shift linear grey. */
    private static RgbImage fromGray(BufferedImage image) {
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        int bands = raster.getNumBands();
        boolean alpha = image.getColorModel().hasAlpha();
        int maxGray = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        int maxAlpha = alpha ? (1 << raster.getSampleModel().getSampleSize(bands - 1)) - 1 : 1;
        int[] row = new int[w * bands];
        byte[] dst = new byte[w * h * 3];
        for (int y = 0, d = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++, d += 3) {
                double v = row[x * bands] * 255.0 / maxGray;
                if (alpha) {
                    double a = (double) row[x * bands + bands - 1] / maxAlpha;
                    v = v * a + 255.0 * (1 - a);
                }
                byte value = (byte) Math.round(v);
                dst[d] = value;
                dst[d + 1] = value;
                dst[d + 2] = value;
            }
        }
        return new RgbImage(w, h, dst);
    }

    private static String describeStart(byte[] bytes) {
        int n = Math.min(bytes.length, 8);
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            hex.append(String.format(Locale.ROOT, "%02x ", bytes[i] & 0xFF));
        }
        return hex.toString().trim();
    }
}
