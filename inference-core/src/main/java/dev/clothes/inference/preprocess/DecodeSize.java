package dev.clothes.inference.preprocess;

/** How many of the stored pixels are decoded before the resize. */
public enum DecodeSize {
    /** Every stored pixel, then the resize: what bundles written before this setting do (it is their default). */
    FULL,
    /**
     * As few as still give the crop region at least the input size: JPEG at the largest DCT scale (1/2, 1/4,
     * 1/8) that does, other formats subsampled by the reader by the same factor; then the same resize.
     */
    REDUCED
}
