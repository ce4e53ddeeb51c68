package dev.clothes.lambda.handler;

/** A request the function answers with an error status and a message for the caller. */
public final class RequestException extends RuntimeException {

    private final int status;

    public RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
