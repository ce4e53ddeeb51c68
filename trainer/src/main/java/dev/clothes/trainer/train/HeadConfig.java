package dev.clothes.trainer.train;

/**
 * The classifier head's part of {@link TrainOptions}: global pooling (in the trunk), an optional
 * dense layer, dropout, softmax. Its components are recorded in the bundle's metrics and, through
 * {@link #toString()}, in the checkpoint digest, so renaming one breaks resuming older runs.
 *
 * @param hidden         units of the dense layer, 0 for none
 * @param dropout        fraction of inputs dropped before the output layer
 * @param learningRate   Adam learning rate
 * @param l2             L2 weight decay
 * @param batchSize      minibatch size
 * @param maxEpochs      upper bound on epochs
 * @param patience       stop after this many epochs without a better validation accuracy
 * @param classWeighting weight the loss by inverse class frequency
 * @param seed           weights, shuffling and dropout
 * @param labelSmoothing share of each target spread evenly over all classes (0: one-hot targets)
 * @param standardize    train on features shifted and scaled to mean 0 and variance 1 (training rows'
 *                       statistics), folded into the first layer afterwards so the graph reads raw features
 * @param mixup          alpha of the Beta(alpha, alpha) weight mixing each minibatch's features and targets with
 *                       a shuffled copy of itself; 0 for none
 */
public record HeadConfig(int hidden, double dropout, double learningRate, double l2, int batchSize, int maxEpochs,
                         int patience, boolean classWeighting, long seed,
                         double labelSmoothing, boolean standardize, double mixup) {

    // Compile-time constants so the CLI's picocli defaults can name them.
    public static final int HIDDEN = 128;
    public static final double DROPOUT = 0.3;
    public static final double LEARNING_RATE = 5e-4;
    public static final double L2 = 1e-4;
    public static final int BATCH_SIZE = 32;
    public static final int MAX_EPOCHS = 40;
    public static final int PATIENCE = 8;
    public static final long SEED = 42;
    public static final double LABEL_SMOOTHING = 0.1;
    public static final boolean STANDARDIZE = false;
    public static final double MIXUP = 0;

    public static final HeadConfig DEFAULT = new HeadConfig(HIDDEN, DROPOUT, LEARNING_RATE, L2, BATCH_SIZE, MAX_EPOCHS,
            PATIENCE, true, SEED, LABEL_SMOOTHING, STANDARDIZE, MIXUP);

    public HeadConfig {
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden units must be 0 or more, not " + hidden);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), not " + dropout);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be above 0, not " + learningRate);
        }
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("L2 must be 0 or more, not " + l2);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, not " + maxEpochs);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, not " + patience);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), not " + labelSmoothing);
        }
        if (!(mixup >= 0) || Double.isInfinite(mixup)) {
            throw new IllegalArgumentException("mixup alpha must be 0 (off) or more, not " + mixup);
        }
    }

    /** A head on raw features without mixup. */
    public HeadConfig(int hidden, double dropout, double learningRate, double l2, int batchSize, int maxEpochs,
                      int patience, boolean classWeighting, long seed, double labelSmoothing) {
        this(hidden, dropout, learningRate, l2, batchSize, maxEpochs, patience, classWeighting, seed, labelSmoothing,
                false, 0);
    }

    public HeadConfig withSeed(long value) {
        return new HeadConfig(hidden, dropout, learningRate, l2, batchSize, maxEpochs, patience, classWeighting, value,
                labelSmoothing, standardize, mixup);
    }
}
