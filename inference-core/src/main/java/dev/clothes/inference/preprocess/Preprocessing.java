package dev.clothes.inference.preprocess;

import dev.clothes.inference.image.DecodeScale;

import java.util.Objects;

/**
 * Everything that turns a decoded image into a model input, as data. It is stored in every model
 * bundle so training, evaluation, conversion and serving cannot disagree.
 *
 * @param width        model input width in pixels
 * @param height       model input height in pixels
 * @param resize       resampling method
 * @param crop         which region of the image is used
 * @param cropFraction for {@link CropMode#CENTER}: fraction of the largest centred region kept, (0, 1]
 * @param normalization per-channel mean and standard deviation on 0..255 pixel values
 * @param channelOrder channel order of the tensor
 * @param layout       NHWC or NCHW
 * @param decode       how many stored pixels are decoded; {@link DecodeSize#FULL} when absent (older bundles)
 * @param tta          views of the image scored besides itself; {@link TestTimeAugmentation#NONE} when absent
 */
public record Preprocessing(
        int width,
        int height,
        ResizeMethod resize,
        CropMode crop,
        double cropFraction,
        Normalization normalization,
        ChannelOrder channelOrder,
        TensorLayout layout,
        DecodeSize decode,
        TestTimeAugmentation tta) {

    public Preprocessing {
        if (width <= 0 || height <= 0 || width > 8192 || height > 8192) {
            throw new IllegalArgumentException("input size must be within 1..8192, got " + width + "x" + height);
        }
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(crop, "crop");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(channelOrder, "channelOrder");
        Objects.requireNonNull(layout, "layout");
        if (!(cropFraction > 0 && cropFraction <= 1)) {
            throw new IllegalArgumentException("cropFraction must be in (0, 1], got " + cropFraction);
        }
        // A bundle.json without the field was trained and checked on fully decoded images.
        decode = decode == null ? DecodeSize.FULL : decode;
        tta = tta == null ? TestTimeAugmentation.NONE : tta;
    }

    /** Without test-time augmentation, as bundles were before it. */
    public Preprocessing(int width, int height, ResizeMethod resize, CropMode crop, double cropFraction,
                         Normalization normalization, ChannelOrder channelOrder, TensorLayout layout, DecodeSize decode) {
        this(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode,
                TestTimeAugmentation.NONE);
    }

    /**
     * Square RGB NHWC input scaled to [-1, 1] with bilinear stretch, decoded no larger than needed: MobileNet
     * and Inception as trained from now on.
     */
    public static Preprocessing minusOneToOne(int size) {
        return new Preprocessing(size, size, ResizeMethod.BILINEAR, CropMode.STRETCH, 1.0,
                Normalization.MINUS_ONE_TO_ONE, ChannelOrder.RGB, TensorLayout.NHWC, DecodeSize.REDUCED);
    }

    public Preprocessing withNormalization(Normalization normalization) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode, tta);
    }

    public Preprocessing withResize(ResizeMethod resize) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode, tta);
    }

    public Preprocessing withSize(int width, int height) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode, tta);
    }

    /** @param cropFraction for {@link CropMode#CENTER}; 1 for {@link CropMode#STRETCH} */
    public Preprocessing withCrop(CropMode crop, double cropFraction) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode, tta);
    }

    public Preprocessing withChannelOrder(ChannelOrder channelOrder) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode, tta);
    }

    public Preprocessing withLayout(TensorLayout layout) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode, tta);
    }

    public Preprocessing withDecode(DecodeSize decode) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode, tta);
    }

    /**
     * The record's usual text, with {@code tta} only when it is not {@link TestTimeAugmentation#NONE}: the text of
     * every preprocessing without it stays what it was (the trainer's feature cache keys contain it).
     */
    @Override
    public String toString() {
        return "Preprocessing[width=" + width + ", height=" + height + ", resize=" + resize + ", crop=" + crop
                + ", cropFraction=" + cropFraction + ", normalization=" + normalization + ", channelOrder=" + channelOrder
                + ", layout=" + layout + ", decode=" + decode + (tta == TestTimeAugmentation.NONE ? "" : ", tta=" + tta)
                + "]";
    }

    public Preprocessing withTta(TestTimeAugmentation tta) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout, decode, tta);
    }

    /**
     * What the decoder may drop for this input: with {@link DecodeSize#REDUCED}, the largest factor of 8, 4
     * and 2 that leaves the crop region at least {@code width x height}; 1 otherwise.
     */
    public DecodeScale decodeScale() {
        if (decode == DecodeSize.FULL) {
            return DecodeScale.FULL;
        }
        return (w, h) -> {
            for (int factor = 8; factor > 1; factor /= 2) {
                double[] region = cropRegion(ceilDiv(w, factor), ceilDiv(h, factor));
                if (region[2] >= width && region[3] >= height) {
                    return factor;
                }
            }
            return 1;
        };
    }

    /** {x, y, width, height} of the source region used, in source pixel units (fractional). */
    double[] cropRegion(int srcW, int srcH) {
        if (crop == CropMode.STRETCH) {
            return new double[] {0, 0, srcW, srcH};
        }
        double targetAspect = (double) width / height;
        double w = srcW;
        double h = srcH;
        if (w / h > targetAspect) {
            w = h * targetAspect;
        } else {
            h = w / targetAspect;
        }
        w *= cropFraction;
        h *= cropFraction;
        return new double[] {(srcW - w) / 2, (srcH - h) / 2, w, h};
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Number of values in the input tensor (one image). */
    public int tensorLength() {
        return width * height * 3;
    }

    /** Tensor shape for one image in this layout. */
    public int[] tensorShape() {
        return layout == TensorLayout.NHWC ? new int[] {1, height, width, 3} : new int[] {1, 3, height, width};
    }
}
