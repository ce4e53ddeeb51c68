package dev.clothes.trainer.train;

/**
 * The fine-tuning part of {@link TrainOptions}: after the head is trained on pooled features, the
 * trunk's layers above a cut point are trained together with the head on the cached activations at
 * that cut, at a lower learning rate. Recorded in the bundle's metrics and the checkpoint digest.
 *
 * @param cut              vertex of the trunk whose output is cached; null for the backbone's default
 * @param learningRate     Adam learning rate for the top of the trunk and the head
 * @param maxEpochs        upper bound on epochs; 0 turns fine-tuning off
 * @param patience         stop after this many epochs without a better validation accuracy
 * @param variantsPerEpoch augmentation variants of each training image an epoch visits (rotating)
 */
public record FineTuneConfig(String cut, double learningRate, int maxEpochs, int patience, int variantsPerEpoch) {

    // Compile-time constants so the CLI's picocli defaults can name them.
    public static final double LEARNING_RATE = 1e-4;
    public static final int MAX_EPOCHS = 6;
    public static final int PATIENCE = 3;
    public static final int VARIANTS_PER_EPOCH = 1;

    /** Off: on this dataset no fine-tuned epoch beat the head alone on validation (trainer/reports/recipes.md). */
    public static final FineTuneConfig OFF = new FineTuneConfig(null, LEARNING_RATE, 0, PATIENCE, VARIANTS_PER_EPOCH);

    public FineTuneConfig {
        if (cut != null && cut.isBlank()) {
            throw new IllegalArgumentException("the fine-tuning cut must name a trunk vertex, not '" + cut + "'");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("fine-tuning learning rate must be above 0, not " + learningRate);
        }
        if (maxEpochs < 0) {
            throw new IllegalArgumentException("fine-tuning epochs must be 0 (off) or more, not " + maxEpochs);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("fine-tuning patience must be at least 1, not " + patience);
        }
        if (variantsPerEpoch < 1) {
            throw new IllegalArgumentException("variants per fine-tuning epoch must be at least 1, not "
                    + variantsPerEpoch);
        }
    }

    public boolean enabled() {
        return maxEpochs > 0;
    }
}
