/** Out-of-distribution scorers fitted at training time (class means and shrunk shared covariance, k-NN index, last-layer weights, their combination), thresholds fitted on validation, every scorer measured on near-OOD development images. Imports train's options, features and evaluation: no cli. */
package dev.clothes.trainer.ood;
