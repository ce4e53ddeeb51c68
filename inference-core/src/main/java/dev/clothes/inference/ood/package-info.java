/** Out-of-distribution scorers rebuilt from a bundle's data (maximum softmax probability, energy, Mahalanobis, k-NN cosine) and the assessment a classification carries. Imports {@code inference.bundle}. */
package dev.clothes.inference.ood;
