package dev.clothes.inference.image;

/**
 * How much smaller than stored an image may be decoded: the consumer (preprocessing) knows how many
 * pixels it needs. The decoder shrinks by a factor of 1, 2, 4 or 8 in each direction (DCT scaling for plain
 * JPEGs, the reader's subsampling otherwise); sides are rounded up (a 2400x1350 JPEG at factor 4 decodes
 * as 600x338).
 */
@FunctionalInterface
public interface DecodeScale {

    /** Every stored pixel. */
    DecodeScale FULL = (width, height) -> 1;

    /**
     * @param width  the image's width once upright (EXIF orientation applied)
     * @param height its height once upright
     * @return a reduction factor: 1, 2, 4 or 8
     */
    int factor(int width, int height);
}
