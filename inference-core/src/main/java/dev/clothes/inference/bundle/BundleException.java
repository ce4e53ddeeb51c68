package dev.clothes.inference.bundle;

import dev.clothes.inference.error.UserFacingException;

/** A model bundle that is missing, incomplete, tampered with or inconsistent with its model. */
public final class BundleException extends UserFacingException {

    public static final String CODE = "bundle.invalid";

    public BundleException(String message) {
        this(message, null);
    }

    public BundleException(String message, Throwable cause) {
        super(CODE, Fault.SETUP, message, cause);
    }
}
