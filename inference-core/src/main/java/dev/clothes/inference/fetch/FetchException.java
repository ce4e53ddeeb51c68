package dev.clothes.inference.fetch;

import dev.clothes.inference.error.ErrorKind;
import dev.clothes.inference.error.UserFacingException;

/** A URL whose image could not be fetched, with a kind a caller can map to a response status. */
public final class FetchException extends UserFacingException {

    public enum Kind implements ErrorKind {
        /** Not an absolute http(s) URL. */
        INVALID_URL(Fault.CALLER),
        /** The address policy refused the host (e.g. private or loopback addresses). */
        REFUSED(Fault.CALLER),
        /** DNS failure, connection refused, reset. */
        UNREACHABLE(Fault.UPSTREAM),
        /** Connect or read took longer than allowed. */
        TIMEOUT(Fault.UPSTREAM),
        /** The server answered with a non-2xx status or too many redirects. */
        BAD_RESPONSE(Fault.UPSTREAM),
        /** The body is larger than allowed. */
        TOO_LARGE(Fault.CALLER),
        /** The server says the body is not an image. */
        NOT_AN_IMAGE(Fault.CALLER);

        private final Fault fault;

        Kind(Fault fault) {
            this.fault = fault;
        }

        @Override
        public String area() {
            return "fetch";
        }

        @Override
        public Fault fault() {
            return fault;
        }
    }

    public FetchException(Kind kind, String message) {
        this(kind, message, null);
    }

    public FetchException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    @Override
    public Kind kind() {
        return (Kind) super.kind();
    }
}
