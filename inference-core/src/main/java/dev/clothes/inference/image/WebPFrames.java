package dev.clothes.inference.image;

import dev.clothes.inference.image.ImageDecodeException.Reason;

import java.util.Locale;

/**
 * The sizes a WebP file's frames declare, checked before decoding. The reader sizes its buffers from
 * each frame's own header, not from the canvas that {@code getWidth/getHeight} report: a 114-byte file
 * with a 16x8 canvas and a 14,096 x 14,263 frame inside ran the JVM out of heap (found by fuzzing).
 * This catches frames declared where the format puts them; {@link ImageDecoder} still guards the rest.
 */
final class WebPFrames {

    private WebPFrames() {
    }

    /** Refuses a frame larger than the pixel budget, or larger than the canvas of an extended (VP8X) file. */
    static void check(byte[] b, ImageLimits limits) {
        if (b.length < 20 || !fourcc(b, 0, "RIFF") || !fourcc(b, 8, "WEBP")) {
            return;
        }
        long[] canvas = null;
        for (int at = 12; at >= 0 && at + 8 <= b.length; at = nextChunk(b, at, b.length)) {
            int data = at + 8;
            if (fourcc(b, at, "VP8X") && data + 10 <= b.length) {
                canvas = new long[] {u24(b, data + 4) + 1, u24(b, data + 7) + 1};
            } else if (fourcc(b, at, "VP8 ") || fourcc(b, at, "VP8L")) {
                checkFrame(frameSize(b, at, data), canvas, limits);
            } else if (fourcc(b, at, "ANMF") && data + 16 <= b.length) {
                checkFrame(new long[] {u24(b, data + 6) + 1, u24(b, data + 9) + 1}, canvas, limits);
                long end = Math.min(b.length, data + u32(b, at + 4));
                for (int sub = data + 16; sub >= 0 && sub + 8 <= end; sub = nextChunk(b, sub, end)) {
                    if (fourcc(b, sub, "VP8 ") || fourcc(b, sub, "VP8L")) {
                        checkFrame(frameSize(b, sub, sub + 8), canvas, limits);
                    }
                }
            }
        }
    }

    /** Where the chunk after the one at {@code at} starts (sizes are padded to even), or -1 past {@code end}. */
    private static int nextChunk(byte[] b, int at, long end) {
        long size = u32(b, at + 4);
        long next = at + 8L + size + (size & 1);
        return next > end ? -1 : (int) next;
    }

    /** Width and height from a VP8 (lossy) or VP8L (lossless) frame header, or null if there is none. */
    private static long[] frameSize(byte[] b, int chunk, int data) {
        if (fourcc(b, chunk, "VP8L")) {
            if (data + 5 > b.length || (b[data] & 0xFF) != 0x2F) {
                return null;
            }
            long bits = u32(b, data + 1);
            return new long[] {(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
        }
        // A 3-byte frame tag, the start code 9D 01 2A, then two 14-bit sizes.
        if (data + 10 > b.length) {
            return null;
        }
        return new long[] {u16(b, data + 6) & 0x3FFF, u16(b, data + 8) & 0x3FFF};
    }

    private static void checkFrame(long[] frame, long[] canvas, ImageLimits limits) {
        if (frame == null) {
            return;
        }
        if (frame[0] * frame[1] > limits.maxPixels()) {
            throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                    "the WebP frame is %dx%d = %,d pixels; the limit is %,d pixels", frame[0], frame[1],
                    frame[0] * frame[1], limits.maxPixels()));
        }
        if (canvas != null && (frame[0] > canvas[0] || frame[1] > canvas[1])) {
            throw new ImageDecodeException(Reason.CORRUPT, String.format(Locale.ROOT,
                    "the WebP frame (%dx%d) is larger than its canvas (%dx%d)", frame[0], frame[1], canvas[0], canvas[1]));
        }
    }

    private static boolean fourcc(byte[] b, int at, String code) {
        for (int i = 0; i < 4; i++) {
            if (b[at + i] != code.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u24(byte[] b, int at) {
        return u16(b, at) | (long) (b[at + 2] & 0xFF) << 16;
    }

    private static long u32(byte[] b, int at) {
        return u24(b, at) | (long) (b[at + 3] & 0xFF) << 24;
    }
}
