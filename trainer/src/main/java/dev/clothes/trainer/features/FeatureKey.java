package dev.clothes.trainer.features;

import dev.clothes.inference.bundle.Checksums;

import java.nio.charset.StandardCharsets;

/** Cache keys: what the features of one (image, augmentation variant, trunk) depend on. */
public final class FeatureKey {

    private FeatureKey() {
    }

    /**
     * @param imageSha256 digest of the image file's bytes
     * @param variant     augmentation variant (0 = the image itself)
     * @param recipe      augmentation spec and seed; ignored for variant 0
     * @param trunk       digest of the trunk weights plus its preprocessing
     */
    public static String of(String imageSha256, int variant, String recipe, String trunk) {
        String text = imageSha256 + '|' + variant + '|' + (variant == 0 ? "-" : recipe) + '|' + trunk;
        return Checksums.sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
