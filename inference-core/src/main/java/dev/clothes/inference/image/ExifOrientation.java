package dev.clothes.inference.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;

import java.io.IOException;
import java.util.Arrays;
import javax.imageio.stream.ImageInputStream;

/**
 * EXIF orientation (TIFF tag 274) of a JPEG: phones store pixels sideways and rely on the tag,
 * so ignoring it feeds the model a rotated photo.
 */
final class ExifOrientation {

    static final int NORMAL = 1;

    private ExifOrientation() {
    }

    /**
     * The orientation tag 1..8 of the TIFF structure inside an APP1 Exif segment (the bytes after
     * "Exif\0\0"), or {@link #NORMAL} when absent or unreadable (never fatal).
     */
    static int fromTiff(byte[] bytes, int offset, int length) {
        try (ImageInputStream tiff = new ByteArrayImageInputStream(Arrays.copyOfRange(bytes, offset, offset + length))) {
            Directory directory = new TIFFReader().read(tiff);
            Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
            if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                return n.intValue();
            }
        } catch (IOException | RuntimeException e) {
            // Broken metadata must not reject an otherwise decodable photo.
        }
        return NORMAL;
    }

    /** Applies an orientation to interleaved RGB so the result is upright. */
    static RgbImage apply(RgbImage image, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        boolean transpose = orientation >= 5;
        int outW = transpose ? h : w;
        int outH = transpose ? w : h;
        byte[] src = image.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                int s = (sy * w + sx) * 3;
                int d = (y * outW + x) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(outW, outH, dst);
    }
}
