package dev.clothes.trainer.train;

import java.util.List;

/**
 * What a resumed run needs besides the network: written next to the checkpoint after each epoch.
 *
 * @param configDigest identifies the data, features and head config; a resume with others is refused
 */
public record TrainingState(String configDigest, int epochsDone, int bestEpoch, double bestValidationAccuracy,
                            double bestValidationLoss, List<EpochMetrics> history, boolean finished) {

    public TrainingState {
        history = List.copyOf(history);
    }

    static TrainingState fresh(String configDigest) {
        return new TrainingState(configDigest, 0, 0, -1, Double.MAX_VALUE, List.of(), false);
    }
}
