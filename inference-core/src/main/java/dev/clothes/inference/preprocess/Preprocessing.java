package dev.clothes.inference.preprocess;

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
 */
public record Preprocessing(
        int width,
        int height,
        ResizeMethod resize,
        CropMode crop,
        double cropFraction,
        Normalization normalization,
        ChannelOrder channelOrder,
        TensorLayout layout) {

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
    }

    /** Square RGB NHWC input scaled to [-1, 1] with bilinear stretch: MobileNet and Inception. */
    public static Preprocessing minusOneToOne(int size) {
        return new Preprocessing(size, size, ResizeMethod.BILINEAR, CropMode.STRETCH, 1.0,
                Normalization.MINUS_ONE_TO_ONE, ChannelOrder.RGB, TensorLayout.NHWC);
    }

    public Preprocessing withNormalization(Normalization normalization) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout);
    }

    public Preprocessing withResize(ResizeMethod resize) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout);
    }

    public Preprocessing withSize(int width, int height) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout);
    }

    /** @param cropFraction for {@link CropMode#CENTER}; 1 for {@link CropMode#STRETCH} */
    public Preprocessing withCrop(CropMode crop, double cropFraction) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout);
    }

    public Preprocessing withChannelOrder(ChannelOrder channelOrder) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout);
    }

        public Preprocessing withLayout(TensorLayout layout) {
        return new Preprocessing(width, height, resize, crop, cropFraction, normalization, channelOrder, layout);
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
