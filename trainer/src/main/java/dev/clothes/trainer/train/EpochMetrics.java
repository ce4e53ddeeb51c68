package dev.clothes.trainer.train;

/** Loss and accuracy of one epoch, on the training features and on validation. */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                           double validationAccuracy, double seconds) {
}
