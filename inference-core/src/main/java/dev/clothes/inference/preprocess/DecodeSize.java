package dev.clothes.inference.preprocess;

/** How many of the stored pixels are decoded before the resize. */
public enum DecodeSize {
    /** Every stored pixel, then the resize: what bundles written before this setting do (it is their default). */
    FULL,
    /**
     * Decoded at 1/2, 1/4 or 1/8 of its size in each direction, the smallest that still gives the crop region
     * at least the input size; then the same resize. Plain JPEGs by libjpeg-turbo's DCT scaling (an average
     * per block), other images by their reader's subsampling (every n-th pixel). A 2400x1350 photo for a
     * 224x224 input is decoded as 600x338; the dataset's 400-pixel photos are decoded whole either way.
     */
    REDUCED
}
