package dev.clothes.quality.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clothes.inference.image.DecodeScale;
import dev.clothes.inference.image.ImageDecodeException;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.ImageLimits;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.Preprocessor;

/**
 * Any bytes through decoding and preprocessing: the only allowed failure is a typed
 * {@link ImageDecodeException}; anything else (runtime exceptions, errors, hangs) is a finding.
 */
class ImageDecodingFuzzTest {

    // Small budgets keep each execution fast; the limit checks are part of what is fuzzed.
    private static final ImageDecoder DECODER = new ImageDecoder(new ImageLimits(1 << 20, 4_000_000));
    private static final Preprocessor PREPROCESSOR = new Preprocessor(Preprocessing.minusOneToOne(32));

    /** Every stored pixel (ImageIO), and as serving decodes for a 32x32 input (libjpeg-turbo's DCT scaling). */
    private static final DecodeScale[] SCALES = {DecodeScale.FULL, PREPROCESSOR.spec().decodeScale()};

    @FuzzTest(maxDuration = "10s")
    void decodeAndPreprocess(byte[] bytes) {
        for (DecodeScale scale : SCALES) {
            RgbImage image;
            try {
                image = DECODER.decode(bytes, scale);
            } catch (ImageDecodeException expected) {
                continue;
            }
            check(PREPROCESSOR.apply(image));
        }
    }

    private static void check(float[] tensor) {
        for (float v : tensor) {
            if (!(v >= -1.0001f && v <= 1.0001f)) {
                throw new IllegalStateException("preprocessed value out of range: " + v);
            }
        }
    }
}
