package dev.clothes.trainer.augment;

import dev.clothes.inference.image.RgbImage;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AugmenterTest {

    private static RgbImage noise(int w, int h) {
        byte[] px = new byte[w * h * 3];
        new Random(5).nextBytes(px);
        return new RgbImage(w, h, px);
    }

    @Test
    void sameSeedKeyAndVariantGiveTheSameImage() {
        Augmenter augmenter = new Augmenter(Augmentation.DEFAULT);
        RgbImage img = noise(40, 30);
        RgbImage a = augmenter.apply(img, 42, "key", 1);
        assertThat(augmenter.apply(img, 42, "key", 1).pixels()).isEqualTo(a.pixels());
        assertThat(augmenter.apply(img, 42, "key", 2).pixels()).isNotEqualTo(a.pixels());
        assertThat(augmenter.apply(img, 43, "key", 1).pixels()).isNotEqualTo(a.pixels());
        assertThat(augmenter.apply(img, 42, "key", 0)).isSameAs(img);
        assertThat(a.width()).isEqualTo(40);
        assertThat(a.height()).isEqualTo(30);
    }

    @Test
    void identityWarpKeepsPixelsAndFlipMirrors() {
        RgbImage img = noise(7, 5);
        assertThat(Augmenter.warp(img, 0, 0, 1, 1, 0, 0, false).pixels()).isEqualTo(img.pixels());
        RgbImage flipped = Augmenter.warp(img, 0, 0, 1, 1, 0, 0, true);
        for (int c = 0; c < 3; c++) {
            assertThat(flipped.channel(0, 2, c)).isEqualTo(img.channel(6, 2, c));
        }
        // A whole-pixel shift moves content and fills the edge with the nearest pixel.
        RgbImage shifted = Augmenter.warp(img, 0, 0, 1, 1, 2, 0, false);
        assertThat(shifted.channel(4, 1, 0)).isEqualTo(img.channel(2, 1, 0));
        assertThat(shifted.channel(0, 1, 0)).isEqualTo(img.channel(0, 1, 0));
    }

    @Test
    void photometricJitterStaysInRange() {
        RgbImage out = Augmenter.photometric(noise(10, 10), 40, 1.1);
        for (byte b : out.pixels()) {
            assertThat(b & 0xFF).isBetween(0, 255);
        }
    }
}
