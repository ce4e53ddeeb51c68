package dev.clothes.inference.fetch;

/** A URL whose image could not be fetched, with a kind a caller can map to a response status. */
public final class FetchException extends RuntimeException {

    public enum Kind {
        /** Not an absolute http(s) URL. */
        INVALID_URL,
        /** The address policy refused the host (e.g. private or loopback addresses). */
        REFUSED,
        /** DNS failure, connection refused, reset. */
        UNREACHABLE,
        /** Connect or read took longer than allowed. */
        TIMEOUT,
        /** The server answered with a non-2xx status or too many redirects. */
        BAD_RESPONSE,
        /** The body is larger than allowed. */
        TOO_LARGE,
        /** The server says the body is not an image. */
        NOT_AN_IMAGE
    }

    private final Kind kind;

    public FetchException(Kind kind, String message) {
        this(kind, message, null);
    }

    public FetchException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
