package dev.clothes.inference.preprocess;

/** Which part of the image is resized to the model input. */
public enum CropMode {
    /** The whole image, aspect ratio not preserved. */
    STRETCH,
    /** The largest centred region with the input's aspect ratio, times {@code cropFraction}. */
    CENTER
}
