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

    /** Whether the bytes start with a JPEG's start-of-image marker. */
    static boolean startsLikeJpeg(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
    }

    /**
     * The orientation tag 1..8 of a JPEG, or {@link #NORMAL} when absent or unreadable (never fatal). One walk
     * over the segment headers up to the first Exif segment or the scan data; only that segment is parsed.
     */
    static int read(byte[] jpeg) {
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xFF) {
                at++; // fill byte
            } else if (marker == 0xD8 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                at += 2; // markers without a length
            } else if (marker == 0xDA || marker == 0xD9) {
                return NORMAL; // scan data or the end: no Exif segment before it
            } else {
                int end = at + 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
                if (end > jpeg.length) {
                    return NORMAL;
                }
                if (marker == 0xE1 && isExif(jpeg, at + 4, end)) {
                    return fromTiff(jpeg, at + 10, end - at - 10);
                }
                at = Math.max(end, at + 4);
            }
        }
        return NORMAL;
    }

    private static boolean isExif(byte[] b, int at, int end) {
        byte[] id = {'E', 'x', 'i', 'f', 0, 0};
        if (end - at < id.length) {
            return false;
        }
        for (int i = 0; i < id.length; i++) {
            if (b[at + i] != id[i]) {
                return false;
            }
        }
        return true;
    }

    /** The orientation tag in the TIFF structure after an APP1 segment's "Exif\0\0". */
    private static int fromTiff(byte[] bytes, int offset, int length) {
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
