package dev.clothes.inference.classify;

/** One ranked class: its label, its index in the model output, and its score (a probability). */
public record Prediction(String label, int index, float score) {
}
