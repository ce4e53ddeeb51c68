package dev.clothes.lambda.handler;

import dev.clothes.inference.error.UserFacingException;

/** A request the function cannot act on (malformed event, body or parameters); the message says what to send. */
public final class RequestException extends UserFacingException {

    public static final String CODE = "request.invalid";

    public RequestException(String message) {
        super(CODE, Fault.CALLER, message, null);
    }
}
