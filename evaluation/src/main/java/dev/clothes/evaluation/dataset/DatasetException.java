package dev.clothes.evaluation.dataset;

import dev.clothes.inference.error.UserFacingException;

/** A dataset folder that cannot be used as it is, with what to fix. */
public final class DatasetException extends UserFacingException {

    public static final String CODE = "dataset.invalid";

    public DatasetException(String message) {
        super(CODE, Fault.SETUP, message, null);
    }
}
