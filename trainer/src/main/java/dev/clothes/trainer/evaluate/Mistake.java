package dev.clothes.trainer.evaluate;

/** A wrong prediction and how sure the model was of it. */
public record Mistake(String file, String actual, String predicted, double confidence) {
}
