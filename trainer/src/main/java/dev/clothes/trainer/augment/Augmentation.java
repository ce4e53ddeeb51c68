package dev.clothes.trainer.augment;

/**
 * Random image changes, as Keras' {@code ImageDataGenerator} arguments, plus mild photometric jitter.
 *
 * @param rotationDegrees rotation drawn from [-r, r]
 * @param widthShift      horizontal shift as a fraction of the width, drawn from [-s, s]
 * @param heightShift     vertical shift as a fraction of the height
 * @param shearDegrees    shear angle drawn from [-s, s] (Keras' {@code shear_range} is in degrees)
 * @param zoom            scale drawn from [1 - z, 1 + z] per axis
 * @param horizontalFlip  flip left-right with probability 1/2
 * @param brightness      pixel offset drawn from [-b, b] times 255
 * @param contrast        contrast factor drawn from [1 - c, 1 + c]
 */
public record Augmentation(double rotationDegrees, double widthShift, double heightShift, double shearDegrees,
                           double zoom, boolean horizontalFlip, double brightness, double contrast) {

    /** The reference notebook's settings (shear 10, zoom 0.1, flips) with small rotations, shifts and jitter. */
    public static final Augmentation DEFAULT = new Augmentation(10, 0.1, 0.1, 10, 0.1, true, 0.1, 0.1);
    public static final Augmentation NONE = new Augmentation(0, 0, 0, 0, 0, false, 0, 0);

    public Augmentation {
        if (rotationDegrees < 0 || widthShift < 0 || heightShift < 0 || shearDegrees < 0 || zoom < 0 || zoom >= 1
                || brightness < 0 || contrast < 0 || contrast >= 1) {
            throw new IllegalArgumentException("augmentation ranges must be >= 0 (zoom and contrast < 1), got rotation "
                    + rotationDegrees + ", shift " + widthShift + "/" + heightShift + ", shear " + shearDegrees
                    + ", zoom " + zoom + ", brightness " + brightness + ", contrast " + contrast);
        }
    }
}
