package dev.clothes.trainer;

import dev.clothes.inference.error.ErrorKind;
import dev.clothes.inference.error.UserFacingException;

/** A training run the user set up wrong (weights, a checkpoint to resume), with what to change. */
public final class TrainingException extends UserFacingException {

    public enum Kind implements ErrorKind {
        /** The ImageNet weights file is not a valid .tflite/.h5 or does not fit the backbone. */
        WEIGHTS_INVALID,
        /** The default ImageNet weights cannot be downloaded. */
        WEIGHTS_UNAVAILABLE,
        /** {@code --resume} found a checkpoint made with other data or settings. */
        RESUME_MISMATCH;

        @Override
        public String area() {
            return "train";
        }

        @Override
        public Fault fault() {
            return Fault.SETUP;
        }
    }

    public TrainingException(Kind kind, String message) {
        this(kind, message, null);
    }

    public TrainingException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    @Override
    public Kind kind() {
        return (Kind) super.kind();
    }
}
