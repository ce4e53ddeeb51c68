package dev.clothes.inference.preprocess;

/** How many of the stored pixels are decoded before the resize. */
public enum DecodeSize {
    /** Every stored pixel, then the resize: what bundles written before this setting do (it is their default). */
    FULL,
    /**
     * Every 2nd, 4th or 8th pixel in each direction (the reader's subsampling), the largest step that still
     * gives the crop region at least the input size; then the same resize. A 2400x1350 photo for a 224x224
     * input is decoded as 600x338.
     */
    REDUCED
}
