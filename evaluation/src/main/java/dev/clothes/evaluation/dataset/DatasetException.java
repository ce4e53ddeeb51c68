package dev.clothes.evaluation.dataset;

/** A dataset folder that cannot be used as it is, with what to fix. */
public final class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }
}
