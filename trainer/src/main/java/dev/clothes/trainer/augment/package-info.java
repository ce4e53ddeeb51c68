/** Training-time augmentation of decoded images (rotation, shift, shear, zoom, flip, brightness, contrast). Imports {@code inference.image}. */
package dev.clothes.trainer.augment;
