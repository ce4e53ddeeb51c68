package dev.clothes.trainer.train;

/**
 * The classifier head trained on frozen-trunk features: global pooling (in the trunk), an optional
 * dense layer, dropout, softmax.
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
 */
public record HeadConfig(int hidden, double dropout, double learningRate, double l2, int batchSize, int maxEpochs,
                         int patience, boolean classWeighting, long seed) {

    public static final HeadConfig DEFAULT = new HeadConfig(128, 0.3, 5e-4, 1e-4, 32, 40, 8, true, 42);

    public HeadConfig {
        if (hidden < 0 || dropout < 0 || dropout >= 1 || learningRate <= 0 || l2 < 0 || batchSize < 1
                || maxEpochs < 1 || patience < 1) {
            throw new IllegalArgumentException("invalid head configuration: " + this);
        }
    }
}
