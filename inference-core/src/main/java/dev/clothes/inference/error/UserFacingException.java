package dev.clothes.inference.error;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An error whose message is meant for the person or client who caused it, as opposed to a bug. The
 * edges decide from {@link #fault()} and {@link #code()} alone: the CLI prints the message on one
 * line and exits 2, the Lambda answers a 4xx or 5xx status with it. Anything that is not a
 * subclass is a bug and is reported with its stack trace (CLI) or as a bare 500 (Lambda).
 */
public abstract class UserFacingException extends RuntimeException {

    /** Whose move it is to fix the error. */
    public enum Fault {
        /** What the caller sent: the request, the image, the URL. */
        CALLER,
        /** A server the caller named (the URL's host) failed or was too slow. */
        UPSTREAM,
        /**
         * What the command or function was set up with: the model bundle, the dataset, the model to
         * convert. The user's to fix on the command line; the operator's, not the HTTP caller's, in
         * the Lambda.
         */
        SETUP
    }

    private static final Pattern CODE = Pattern.compile("[a-z]+(\\.[a-z0-9]+(-[a-z0-9]+)*)+");

    private final String code;
    private final Fault fault;
    private final ErrorKind kind;

    /**
     * @param code a stable short code, {@code area.kind} in lower case (e.g. {@code fetch.timeout}),
     *             that logs, clients and tests can match without parsing the message
     */
    protected UserFacingException(String code, Fault fault, String message, Throwable cause) {
        super(message, cause);
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("an error code is area.kind in lower case, got " + code);
        }
        this.code = code;
        this.fault = Objects.requireNonNull(fault, "fault");
        this.kind = null;
    }

    /** An error of one of an exception's kinds: the kind gives the code and the fault. */
    protected UserFacingException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = kind.code();
        this.fault = Objects.requireNonNull(kind.fault(), "fault");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("an error code is area.kind in lower case, got " + code);
        }
    }

    public final String code() {
        return code;
    }

    public final Fault fault() {
        return fault;
    }

    /** The kind, for exceptions made from one (subclasses narrow it to their enum); null otherwise. */
    public ErrorKind kind() {
        return kind;
    }
}
