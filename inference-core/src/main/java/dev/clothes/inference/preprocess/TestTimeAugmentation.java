package dev.clothes.inference.preprocess;

/** Extra views of each image the model also scores, its outputs averaged with the image's own. */
public enum TestTimeAugmentation {
    /** The image alone: what bundles without the field do. */
    NONE,
    /**
     * The image and its mirror image (the input tensor flipped left to right): two model runs, scores and
     * embedding averaged before postprocessing. Garments look the same mirrored; the trainer's augmentation
     * flips them too.
     */
    FLIP
}
