/** One training run: its options, the head and its training with checkpoints, trunk + head assembly, the bundle and its evaluation. Imports backbone, features, augment, ood and the trainer root: no cli. */
package dev.clothes.trainer.train;
