package dev.clothes.evaluation.metrics;

/** What the model said about one image: its top class and that class's probability. */
public record ImagePrediction(String file, String actual, String predicted, double confidence) {

    public boolean correct() {
        return actual.equals(predicted);
    }
}
