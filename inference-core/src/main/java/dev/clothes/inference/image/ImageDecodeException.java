package dev.clothes.inference.image;

import dev.clothes.inference.error.ErrorKind;
import dev.clothes.inference.error.UserFacingException;

/** An image that cannot be used, with a reason a caller can map to a response (e.g. HTTP 400/413). */
public final class ImageDecodeException extends UserFacingException {

    /** Why the image was refused. */
    public enum Reason implements ErrorKind {
        /** Zero bytes. */
        EMPTY,
        /** More bytes than the byte budget. */
        TOO_MANY_BYTES,
        /** Header declares more pixels than the pixel budget. */
        TOO_MANY_PIXELS,
        /** Not a format we read (text, SVG, PDF, ...). */
        UNSUPPORTED_FORMAT,
        /** A known format whose data is broken or truncated. */
        CORRUPT;

        @Override
        public String area() {
            return "image";
        }

        @Override
        public Fault fault() {
            return Fault.CALLER;
        }
    }

    public ImageDecodeException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }

    public Reason reason() {
        return (Reason) kind();
    }
}
