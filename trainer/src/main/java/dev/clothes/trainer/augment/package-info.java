/** Training-time augmentation of decoded images (rotation, shift, shear, zoom, flip, brightness, contrast). Imports inference-core image types only: no other trainer package. */
package dev.clothes.trainer.augment;
