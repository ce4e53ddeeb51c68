package dev.clothes.inference.image;

import dev.clothes.inference.image.ImageDecodeException.Reason;
import dev.clothes.testing.Images;
import dev.clothes.testing.Shared;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder();

    /** Found by fuzzing (quality module): a 16x8 canvas whose VP8 frame declares 123 megapixels. */
    @Test
    void refusesAWebPFrameLargerThanTheBudget() throws Exception {
        byte[] webp;
        try (var in = getClass().getResourceAsStream("/images/fuzz/webp-frame-larger-than-canvas.webp")) {
            webp = in.readAllBytes();
        }
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class, () -> decoder.decode(webp));
        assertThat(e.reason()).isEqualTo(ImageDecodeException.Reason.TOO_MANY_PIXELS);
    }

    @Test
    void refusesAWebPFrameLargerThanItsCanvas() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + 18 + 8 + 10).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WEBP".getBytes());
        b.put("VP8X".getBytes()).putInt(10).putInt(0).put(new byte[] {15, 0, 0, 15, 0, 0}); // 16x16 canvas
        b.put("VP8 ".getBytes()).putInt(10).put(new byte[] {0, 0, 0, (byte) 0x9D, 1, 0x2A})
                .putShort((short) 4000).putShort((short) 4000);
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class, () -> decoder.decode(b.array()));
        assertThat(e.reason()).isEqualTo(ImageDecodeException.Reason.CORRUPT);
        assertThat(e.getMessage()).contains("(4000x4000) is larger than its canvas (16x16)");
    }

    /** An animation frame whose sub-chunk claims 4 GB: the size check must step past it, not wrap around. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void walksPastAWebPChunkThatClaimsFourGigabytes() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + 8 + 16 + 8 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WEBP".getBytes());
        b.put("ANMF".getBytes()).putInt(16 + 8 + 4).put(new byte[] {0, 0, 0, 0, 0, 0, 15, 0, 0, 15, 0, 0, 0, 0, 0, 0});
        b.put("ALPH".getBytes()).putInt(0xFFFFFFF8).putInt(0);
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class, () -> decoder.decode(b.array()));
        assertThat(e).isNotNull();
    }

    /** Found by fuzzing (quality module): TwelveMonkeys' WebP reader looped forever on this 97-byte file. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void stopsADecoderThatReadsPastTheEndForever() throws Exception {
        byte[] webp;
        try (var in = getClass().getResourceAsStream("/images/fuzz/webp-alpha-endless-read.webp")) {
            webp = in.readAllBytes();
        }
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class, () -> decoder.decode(webp));
        assertThat(e.reason()).isEqualTo(ImageDecodeException.Reason.CORRUPT);
        assertThat(e.getMessage()).contains("kept reading past the end");
    }

    @Test
    void decodesPngExactly() {
        RgbImage img = decoder.decode(Images.encode(Images.halves(4, 2, 0xFF0000, 0x0000FF), "png"));
        assertThat(img.width()).isEqualTo(4);
        assertThat(img.height()).isEqualTo(2);
        assertThat(rgb(img, 0, 0)).containsExactly(255, 0, 0);
        assertThat(rgb(img, 3, 1)).containsExactly(0, 0, 255);
    }

    @Test
    void compositesAlphaOnWhite() {
        BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000); // transparent
        argb.setRGB(1, 0, 0xFFFF0000); // opaque red
        argb.setRGB(2, 0, 0x80000000); // half-transparent black
        RgbImage img = decoder.decode(Images.encode(argb, "png"));
        assertThat(rgb(img, 0, 0)).containsExactly(255, 255, 255);
        assertThat(rgb(img, 1, 0)).containsExactly(255, 0, 0);
        assertThat(rgb(img, 2, 0)[0]).isBetween(125, 129);
    }

    @Test
    void grayPngKeepsItsValues() {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 50);
        gray.getRaster().setSample(1, 0, 0, 200);
        RgbImage img = decoder.decode(Images.encode(gray, "png"));
        assertThat(rgb(img, 0, 0)).containsExactly(50, 50, 50);
        assertThat(rgb(img, 1, 0)).containsExactly(200, 200, 200);

        BufferedImage gray16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSample(0, 0, 0, 65535);
        assertThat(rgb(decoder.decode(Images.encode(gray16, "png")), 0, 0)).containsExactly(255, 255, 255);
    }

    @Test
    void gifFirstFrameAndBmp() {
        // A palette image 16 rows high: the JDK's GIF writer merges the colours of a 2-colour RGB
        // image and garbles 4-row interlaced ones.
        BufferedImage src = new BufferedImage(6, 16, BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = src.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(0, 0, 3, 16);
        g.setColor(Color.WHITE);
        g.fillRect(3, 0, 3, 16);
        g.dispose();
        for (String format : new String[] {"gif", "bmp"}) {
            RgbImage img = decoder.decode(Images.encode(src, format));
            assertThat(img.width()).as(format).isEqualTo(6);
            assertThat(rgb(img, 0, 0)).as(format).containsExactly(0, 255, 0);
            assertThat(rgb(img, 5, 15)).as(format).containsExactly(255, 255, 255);
        }
    }

    @Test
    void webpLosslessAndLossyWithAlphaOnWhite() throws Exception {
        for (String name : new String[] {"lossless", "lossy"}) {
            byte[] webp;
            try (var in = getClass().getResourceAsStream("/images/red-and-transparent-16x8-" + name + ".webp")) {
                webp = in.readAllBytes();
            }
            RgbImage img = decoder.decode(webp);
            assertThat(img.width()).as(name).isEqualTo(16);
            assertThat(img.height()).as(name).isEqualTo(8);
            int[] red = rgb(img, 2, 4);
            assertThat(red[0]).as(name).isGreaterThan(230);
            assertThat(red[1] + red[2]).as(name).isLessThan(40);
            assertThat(Arrays.stream(rgb(img, 13, 4)).min().orElseThrow()).as(name + " transparent -> white")
                    .isGreaterThan(240);
        }
    }

    @Test
    void jpegFromTheDataset() {
        RgbImage img = decoder.decode(Shared.read(Shared.imagenet("cat_720p.jpg")));
        assertThat(img.width()).isEqualTo(1280);
        assertThat(img.height()).isEqualTo(720);
    }

    @Test
    void decodesAJpegAtTheScaleAskedForWithinBudgetAndUpright() {
        byte[] jpeg = Shared.read(Shared.imagenet("cat_720p.jpg"));
        RgbImage full = decoder.decode(jpeg);
        RgbImage quarter = decoder.decode(jpeg, (w, h) -> {
            assertThat(w).isEqualTo(1280); // the scale sees the upright size
            return 4;
        });
        assertThat(quarter.width()).isEqualTo(320);
        assertThat(quarter.height()).isEqualTo(180);
        // libjpeg-turbo's DCT scaling: each pixel close to the average of its 4x4 block at full size.
        assertThat(meanAbsDiff(quarter, boxShrink(full, 4))).isLessThan(3.0);
        assertThat(decoder.decode(jpeg, (w, h) -> 3).width()).isEqualTo(640); // held to a power of two
        assertThat(decoder.decode(jpeg, (w, h) -> 100).width()).isEqualTo(160);

        // Orientation 6: stored 40x20, upright 20x40; the scale is asked with the upright size.
        byte[] sideways = Images.withExifOrientation(Images.encode(Images.halves(40, 20, 0xFF0000, 0x0000FF), "jpg"), 6);
        RgbImage half = decoder.decode(sideways, (w, h) -> {
            assertThat(w).isEqualTo(20);
            assertThat(h).isEqualTo(40);
            return 2;
        });
        assertThat(half.width()).isEqualTo(10);
        assertThat(half.height()).isEqualTo(20);
        assertThat(rgb(half, 5, 3)[0]).isGreaterThan(200); // red on top, as at full size

        // The pixel budget is the stored size's, whatever the scale.
        ImageDecoder tiny = new ImageDecoder(new ImageLimits(1 << 20, 1280 * 720 - 1));
        assertReason(() -> tiny.decode(jpeg, (w, h) -> 8), Reason.TOO_MANY_PIXELS);
    }

    @Test
    void greyAndColourManagedJpegsAtAReducedScale() {
        BufferedImage gray = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.drawImage(noise(64, 48), 0, 0, null);
        g.dispose();
        byte[] greyJpeg = Images.encode(gray, "jpg");
        RgbImage half = decoder.decode(greyJpeg, (w, h) -> 2);
        assertThat(half.width()).isEqualTo(32);
        assertThat(meanAbsDiff(half, boxShrink(decoder.decode(greyJpeg), 2))).isLessThan(3.0);
        assertThat(rgb(half, 7, 9)[0]).isEqualTo(rgb(half, 7, 9)[1]).isEqualTo(rgb(half, 7, 9)[2]);

        // An ICC profile keeps ImageIO's colour handling (every 2nd pixel), not libjpeg-turbo's.
        byte[] jpeg = Images.encode(noise(64, 48), "jpg");
        byte[] profile = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData();
        byte[] app2 = new byte[14 + profile.length];
        System.arraycopy("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, app2, 0, 12);
        app2[12] = 1; // chunk 1 of 1
        app2[13] = 1;
        System.arraycopy(profile, 0, app2, 14, profile.length);
        byte[] icc = withSegment(jpeg, 0xE2, app2);
        assertThat(JpegHeader.read(jpeg).plain()).isTrue();
        assertThat(JpegHeader.read(icc).plain()).isFalse();
        RgbImage full = decoder.decode(jpeg);
        RgbImage subsampled = decoder.decode(icc, (w, h) -> 2);
        assertThat(rgb(subsampled, 5, 7)).containsExactly(rgb(full, 10, 14));
    }

    @Test
    void truncatedJpegsAreRefusedAtAReducedScaleToo() {
        byte[] jpeg = Shared.read(Shared.imagenet("cat_720p.jpg"));
        assertReason(() -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2), (w, h) -> 4), Reason.CORRUPT);
        assertReason(() -> decoder.decode(Arrays.copyOf(jpeg, 200), (w, h) -> 8), Reason.CORRUPT);
    }

    @Test
    void otherFormatsAreSubsampledByTheReader() {
        byte[] png = Images.encode(noise(64, 48), "png");
        RgbImage full = decoder.decode(png);
        RgbImage half = decoder.decode(png, (w, h) -> 2);
        assertThat(half.width()).isEqualTo(32);
        assertThat(half.height()).isEqualTo(24);
        assertThat(rgb(half, 5, 7)).containsExactly(rgb(full, 10, 14));
    }

    @Test
    void exifOrientationIsApplied() {
        byte[] jpeg = Images.encode(Images.halves(40, 20, 0xFF0000, 0x0000FF), "jpg");
        RgbImage upright = decoder.decode(jpeg);
        assertThat(upright.width()).isEqualTo(40);

        // 6 = stored rotated; display after rotating 90 degrees clockwise: the left half becomes the top.
        RgbImage rotated = decoder.decode(Images.withExifOrientation(jpeg, 6));
        assertThat(rotated.width()).isEqualTo(20);
        assertThat(rotated.height()).isEqualTo(40);
        assertThat(rgb(rotated, 10, 5)[0]).isGreaterThan(200);  // red on top
        assertThat(rgb(rotated, 10, 35)[2]).isGreaterThan(200); // blue below

        RgbImage ccw = decoder.decode(Images.withExifOrientation(jpeg, 8));
        assertThat(rgb(ccw, 10, 5)[2]).isGreaterThan(200); // 8 = counter-clockwise: blue on top
        RgbImage flipped = decoder.decode(Images.withExifOrientation(jpeg, 3));
        assertThat(flipped.width()).isEqualTo(40);
        assertThat(rgb(flipped, 5, 10)[2]).isGreaterThan(200); // 180 degrees: blue on the left
    }

    @Test
    void adobeCmykJpegIsConvertedToRgb() {
        byte[] jpeg = Images.adobeCmykJpeg(16, 8);
        RgbImage img = decoder.decode(jpeg);
        assertThat(img.width()).isEqualTo(16);
        int[] white = rgb(img, 2, 4);
        int[] cyan = rgb(img, 13, 4);
        assertThat(Arrays.stream(white).min().orElseThrow()).as(Arrays.toString(white)).isGreaterThan(220);
        assertThat(cyan[0]).as(Arrays.toString(cyan)).isLessThan(100);
        assertThat(cyan[1]).as(Arrays.toString(cyan)).isGreaterThan(120);
        assertThat(cyan[2]).as(Arrays.toString(cyan)).isGreaterThan(180);
    }

    @Test
    void refusesEmptyAndOversizedInput() {
        assertReason(() -> decoder.decode(new byte[0]), Reason.EMPTY);
        assertReason(() -> decoder.decode(null), Reason.EMPTY);
        ImageDecoder small = new ImageDecoder(new ImageLimits(100, 1000));
        assertReason(() -> small.decode(new byte[101]), Reason.TOO_MANY_BYTES);
    }

    @Test
    void refusesDecompressionBombsFromTheHeader() {
        ImageDecodeException png = assertReason(() -> decoder.decode(Images.pngHeader(50_000, 50_000)),
                Reason.TOO_MANY_PIXELS);
        assertThat(png).hasMessageContaining("50000x50000");
        assertReason(() -> decoder.decode(Images.gifHeader(50_000, 50_000)), Reason.TOO_MANY_PIXELS);
        ImageDecoder tiny = new ImageDecoder(new ImageLimits(1 << 20, 100));
        assertReason(() -> tiny.decode(Images.encode(Images.halves(20, 20, 0, 0), "png")), Reason.TOO_MANY_PIXELS);
    }

    @Test
    void refusesNonImages() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        assertReason(() -> decoder.decode(random), Reason.UNSUPPORTED_FORMAT);
        assertReason(() -> decoder.decode("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes()),
                Reason.UNSUPPORTED_FORMAT);
        assertReason(() -> decoder.decode("{\"url\": \"x\"}".getBytes()), Reason.UNSUPPORTED_FORMAT);
    }

    @Test
    void refusesTruncatedFiles() {
        byte[] jpeg = Shared.read(Shared.imagenet("cat_720p.jpg"));
        assertReason(() -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2)), Reason.CORRUPT);
        assertReason(() -> decoder.decode(Arrays.copyOf(jpeg, 200)), Reason.CORRUPT);
        byte[] png = Images.encode(noise(64, 64), "png");
        assertReason(() -> decoder.decode(Arrays.copyOf(png, png.length / 2)), Reason.CORRUPT);
    }

    @Test
    void corruptedBytesNeverEscapeAsOtherExceptions() {
        byte[] jpeg = Images.encode(noise(32, 32), "jpg");
        byte[] png = Images.encode(noise(32, 32), "png");
        byte[] gif = Images.encode(noise(32, 32), "gif");
        Random random = new Random(7);
        for (byte[] original : new byte[][] {jpeg, png, gif}) {
            for (int i = 0; i < 150; i++) {
                byte[] broken = original.clone();
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    broken[random.nextInt(broken.length)] = (byte) random.nextInt(256);
                }
                for (DecodeScale scale : new DecodeScale[] {DecodeScale.FULL, (w, h) -> 2}) {
                    try {
                        RgbImage img = decoder.decode(broken, scale);
                        assertThat(img.width()).isPositive();
                    } catch (ImageDecodeException expected) {
                        assertThat(expected.getMessage()).isNotBlank();
                    }
                }
            }
        }
    }

    /** The JPEG with one more segment right after its start-of-image marker. */
    private static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        byte[] out = new byte[jpeg.length + 4 + payload.length];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        out[2] = (byte) 0xFF;
        out[3] = (byte) marker;
        out[4] = (byte) ((payload.length + 2) >> 8);
        out[5] = (byte) (payload.length + 2);
        System.arraycopy(payload, 0, out, 6, payload.length);
        System.arraycopy(jpeg, 2, out, 6 + payload.length, jpeg.length - 2);
        return out;
    }

    private static double meanAbsDiff(RgbImage a, RgbImage b) {
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        long sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
        }
        return (double) sum / a.pixels().length;
    }

    private static RgbImage boxShrink(RgbImage img, int f) {
        int w = img.width() / f;
        int h = img.height() / f;
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = 0; dy < f; dy++) {
                        for (int dx = 0; dx < f; dx++) {
                            sum += img.channel(x * f + dx, y * f + dy, c);
                        }
                    }
                    out[(y * w + x) * 3 + c] = (byte) Math.round(sum / (float) (f * f));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < 30; i++) {
            g.setColor(new Color(random.nextInt(0xFFFFFF)));
            g.fillRect(random.nextInt(w), random.nextInt(h), 1 + random.nextInt(w / 2), 1 + random.nextInt(h / 2));
        }
        g.dispose();
        return img;
    }

    private static ImageDecodeException assertReason(Runnable decode, Reason reason) {
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class, decode::run);
        assertThat(e).as("expected ImageDecodeException(%s)", reason).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank();
        return e;
    }

    private static int[] rgb(RgbImage img, int x, int y) {
        return new int[] {img.channel(x, y, 0), img.channel(x, y, 1), img.channel(x, y, 2)};
    }

    private static int sum(int[] v) {
        return v[0] + v[1] + v[2];
    }
}
