/** Image bytes to ranked labels with one bundle: the classifier, its options, scores, predictions and timings. Imports {@code inference.bundle}, {@code inference.image}, {@code inference.ood}, {@code inference.preprocess}, {@code inference.runtime}. */
package dev.clothes.inference.classify;
