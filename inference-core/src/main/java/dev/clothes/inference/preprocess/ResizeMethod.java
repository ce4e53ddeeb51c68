package dev.clothes.inference.preprocess;

/** How the (cropped) source is resampled to the model's input size. */
public enum ResizeMethod {
    /** Nearest source pixel (what Keras' {@code load_img(target_size=...)} does by default). */
    NEAREST,
    /** Two-tap linear interpolation with half-pixel centres, no antialiasing (TF {@code resize} default). */
    BILINEAR,
    /** Box filter averaging every covered source pixel when shrinking; bilinear when enlarging. */
    AREA
}
