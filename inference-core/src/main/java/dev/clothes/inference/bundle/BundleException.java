package dev.clothes.inference.bundle;

/** A model bundle that is missing, incomplete, tampered with or inconsistent with its model. */
public final class BundleException extends RuntimeException {

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
