/** Frozen-trunk features per image and augmentation variant, computed once (TFLite or DL4J) and cached. Imports backbone, augment and the trainer root only: no train, no cli. */
package dev.clothes.trainer.features;
