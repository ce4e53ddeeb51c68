package dev.clothes.batch.input;

import dev.clothes.inference.error.UserFacingException;

/** An input (folder, catalog, output path) the job cannot use as given, with what to fix. */
public final class BatchInputException extends UserFacingException {

    public BatchInputException(String message, Throwable cause) {
        super("batch.input", Fault.SETUP, message, cause);
    }
}
