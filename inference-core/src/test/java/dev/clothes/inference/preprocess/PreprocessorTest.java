package dev.clothes.inference.preprocess;

import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.testing.Shared;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Expected values are worked out by hand in the comments. */
class PreprocessorTest {

    /** A 1-row image whose red channel is {@code reds}, green 10x the index, blue 200. */
    private static RgbImage row(int... reds) {
        byte[] px = new byte[reds.length * 3];
        for (int i = 0; i < reds.length; i++) {
            px[i * 3] = (byte) reds[i];
            px[i * 3 + 1] = (byte) (10 * i);
            px[i * 3 + 2] = (byte) 200;
        }
        return new RgbImage(reds.length, 1, px);
    }

    private static Preprocessing spec(int w, int h, ResizeMethod resize, Normalization norm) {
        return new Preprocessing(w, h, resize, CropMode.STRETCH, 1, norm, ChannelOrder.RGB, TensorLayout.NHWC, DecodeSize.FULL);
    }

    private static float[] reds(float[] nhwc) {
        float[] r = new float[nhwc.length / 3];
        for (int i = 0; i < r.length; i++) {
            r[i] = nhwc[i * 3];
        }
        return r;
    }

    /**
     * Found by fuzzing (quality module): a 1-pixel-wide strip millions of pixels tall. Resampling
     * horizontally first kept every source row (5M x 32 x 3 floats, 1.9 GB); the vertical-first order
     * needs a 32-row buffer, and both orders give the same values.
     */
    @Test
    void resizesAVeryTallStripWithoutAHugeBuffer() {
        int height = 5_000_000;
        byte[] px = new byte[height * 3];
        for (int y = 0; y < height; y++) {
            px[y * 3] = (byte) (y < height / 2 ? 0 : 200); // top half black, bottom half red 200
            px[y * 3 + 2] = 50;
        }
        RgbImage strip = new RgbImage(1, height, px);
        // AREA averages ~156,000 rows per output pixel in float: a few tenths of a level of rounding.
        float tolerance = 0.5f;
        for (ResizeMethod method : ResizeMethod.values()) {
            float[] out = new Preprocessor(spec(32, 32, method, Normalization.RAW)).apply(strip);
            assertThat(out[0]).as("%s top-left red", method).isCloseTo(0f, within(tolerance));
            assertThat(out[out.length - 3]).as("%s bottom-right red", method).isCloseTo(200f, within(tolerance));
            assertThat(out[2]).as("%s blue", method).isCloseTo(50f, within(tolerance));
            // The same strip lying down resizes to the transpose, through the other order.
            RgbImage lying = new RgbImage(height, 1, px);
            float[] transposed = new Preprocessor(spec(32, 32, method, Normalization.RAW)).apply(lying);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertThat(out[(y * 32 + x) * 3]).isCloseTo(transposed[(x * 32 + y) * 3], within(1e-3f));
                }
            }
        }
    }

    @Test
    void bilinearDownscaleAveragesWithHalfPixelCentres() {
        // 2x2 -> 1x1: the output centre maps to source (1.0, 1.0), exactly between all four pixels.
        RgbImage img = new RgbImage(2, 2, new byte[] {0, 0, 0, 100, 0, 0, (byte) 200, 0, 0, 40, 0, 0});
        float[] out = new Preprocessor(spec(1, 1, ResizeMethod.BILINEAR, Normalization.RAW)).apply(img);
        assertThat(out[0]).isCloseTo((0 + 100 + 200 + 40) / 4f, within(1e-4f));
    }

    @Test
    void bilinearUpscaleMatchesTensorFlow() {
        // 2 -> 4: centres map to 0.25, 0.75, 1.25, 1.75 in source pixels, i.e. positions -0.25, 0.25,
        // 0.75, 1.25 between pixel centres; clamped at the edges: [0, 25, 75, 100].
        float[] out = new Preprocessor(spec(4, 1, ResizeMethod.BILINEAR, Normalization.RAW)).apply(row(0, 100));
        assertThat(reds(out)).containsExactly(new float[] {0, 25, 75, 100}, within(1e-4f));
    }

    @Test
    void nearestPicksTheCoveringPixel() {
        // 4 -> 2: output centres at source 1.0 and 3.0 -> pixels 1 and 3.
        float[] out = new Preprocessor(spec(2, 1, ResizeMethod.NEAREST, Normalization.RAW)).apply(row(10, 20, 30, 40));
        assertThat(reds(out)).containsExactly(20, 40);
    }

    @Test
    void areaAveragesEveryCoveredPixel() {
        // 6 -> 2: each output covers three source pixels.
        float[] out = new Preprocessor(spec(2, 1, ResizeMethod.AREA, Normalization.RAW))
                .apply(row(0, 30, 60, 90, 120, 150));
        assertThat(reds(out)).containsExactly(new float[] {30, 120}, within(1e-4f));
        // 3 -> 2: output 0 covers [0, 1.5): pixel 0 fully and half of pixel 1 -> (0 + 0.5*90)/1.5 = 30.
        float[] uneven = new Preprocessor(spec(2, 1, ResizeMethod.AREA, Normalization.RAW)).apply(row(0, 90, 180));
        assertThat(reds(uneven)).containsExactly(new float[] {30, 150}, within(1e-4f));
    }

    @Test
    void normalisesToMinusOneToOne() {
        // (p - 127.5) / 127.5 for p = 0, 255 and the green (0) and blue (200) channels.
        float[] out = new Preprocessor(spec(2, 1, ResizeMethod.NEAREST, Normalization.MINUS_ONE_TO_ONE))
                .apply(row(0, 255));
        assertThat(out).containsExactly(new float[] {-1f, -1f, (200 - 127.5f) / 127.5f,
                1f, (10 - 127.5f) / 127.5f, (200 - 127.5f) / 127.5f}, within(1e-6f));
    }

    @Test
    void bgrOrderAndChannelFirstLayout() {
        Normalization caffe = new Normalization(java.util.List.of(100.0, 0.0, 0.0), java.util.List.of(1.0, 2.0, 1.0));
        Preprocessing bgrNchw = new Preprocessing(2, 1, ResizeMethod.NEAREST, CropMode.STRETCH, 1, caffe,
                ChannelOrder.BGR, TensorLayout.NCHW, DecodeSize.FULL);
        // Pixels (r, g, b): (7, 0, 200) and (9, 10, 200). Channel 0 = blue - 100, 1 = green / 2, 2 = red.
        float[] out = new Preprocessor(bgrNchw).apply(row(7, 9));
        assertThat(out).containsExactly(100, 100, 0, 5, 7, 9);
        assertThat(bgrNchw.tensorShape()).containsExactly(1, 3, 1, 2);
    }

    @Test
    void centreCropUsesTheMiddleOfTheImage() {
        // 4x1 image into a 1x1 input: the centred square is 1x1 pixels wide, between pixels 1 and 2
        // (x = 1.5..2.5); its bilinear centre at 2.0 is the mean of pixels 1 and 2.
        Preprocessing crop = new Preprocessing(1, 1, ResizeMethod.BILINEAR, CropMode.CENTER, 1,
                Normalization.RAW, ChannelOrder.RGB, TensorLayout.NHWC, DecodeSize.FULL);
        float[] out = new Preprocessor(crop).apply(row(0, 100, 200, 255));
        assertThat(out[0]).isCloseTo(150, within(1e-4f));
        Preprocessing half = new Preprocessing(2, 2, ResizeMethod.BILINEAR, CropMode.CENTER, 0.5,
                Normalization.RAW, ChannelOrder.RGB, TensorLayout.NHWC, DecodeSize.FULL);
        assertThat(new Preprocessor(half).cropRegion(100, 50)).containsExactly(37.5, 12.5, 25.0, 25.0);
    }

    @Test
    void realPhotoStaysInRangeAndIsDeterministic() {
        RgbImage cat = new ImageDecoder().decode(Shared.read(Shared.imagenet("cat_720p.jpg")));
        Preprocessor pre = new Preprocessor(Preprocessing.minusOneToOne(224));
        float[] a = pre.apply(cat);
        assertThat(a).hasSize(224 * 224 * 3).containsExactly(pre.apply(cat));
        for (float v : a) {
            assertThat(v).isBetween(-1f, 1f);
        }
    }

    @Test
    void rejectsNonsenseSpecs() {
        assertThatThrownBy(() -> Preprocessing.minusOneToOne(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Normalization.uniform(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Preprocessing(2, 2, ResizeMethod.AREA, CropMode.CENTER, 1.5,
                Normalization.RAW, ChannelOrder.RGB, TensorLayout.NHWC, DecodeSize.FULL)).isInstanceOf(IllegalArgumentException.class);
    }
}
