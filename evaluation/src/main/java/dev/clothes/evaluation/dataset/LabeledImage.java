package dev.clothes.evaluation.dataset;

import java.nio.file.Path;

/** One image file and the index of its class. */
public record LabeledImage(Path file, int label) {
}
