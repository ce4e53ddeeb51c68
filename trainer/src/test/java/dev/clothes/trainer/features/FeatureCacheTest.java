package dev.clothes.trainer.features;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureCacheTest {

    @TempDir
    Path dir;

    @Test
    void keyChangesWithImageVariantRecipeAndTrunk() {
        String base = FeatureKey.of("img", 1, "aug|seed=1", "trunk");
        assertThat(FeatureKey.of("img", 1, "aug|seed=1", "trunk")).isEqualTo(base);
        assertThat(FeatureKey.of("img2", 1, "aug|seed=1", "trunk")).isNotEqualTo(base);
        assertThat(FeatureKey.of("img", 2, "aug|seed=1", "trunk")).isNotEqualTo(base);
        assertThat(FeatureKey.of("img", 1, "aug|seed=2", "trunk")).isNotEqualTo(base);
        assertThat(FeatureKey.of("img", 1, "aug|seed=1", "other weights")).isNotEqualTo(base);
        // The unaugmented image does not depend on the augmentation recipe.
        assertThat(FeatureKey.of("img", 0, "a", "trunk")).isEqualTo(FeatureKey.of("img", 0, "b", "trunk"));
    }

    @Test
    void roundTripsAndMissesOnOtherLengths() {
        FeatureCache cache = new FeatureCache(dir);
        String key = FeatureKey.of("img", 0, "", "trunk");
        assertThat(cache.get(key, 3)).isEmpty();
        cache.put(key, new float[] {1.5f, -2f, 0f});
        assertThat(cache.get(key, 3)).hasValueSatisfying(v -> assertThat(v).containsExactly(1.5f, -2f, 0f));
        assertThat(cache.get(key, 4)).isEmpty();
    }
}
