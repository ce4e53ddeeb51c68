package dev.clothes.trainer;

import dev.clothes.inference.error.UserFacingException;

/** A training run the user set up wrong (weights, a checkpoint to resume), with what to change. */
public final class TrainingException extends UserFacingException {

    public enum Kind {
        /** The ImageNet weights file is not a valid .tflite/.h5 or does not fit the backbone. */
        WEIGHTS_INVALID,
        /** The default ImageNet weights cannot be downloaded. */
        WEIGHTS_UNAVAILABLE,
        /** {@code --resume} found a checkpoint made with other data or settings. */
        RESUME_MISMATCH;

        /** {@code train.weights-invalid}, {@code train.weights-unavailable}, {@code train.resume-mismatch}. */
        public String code() {
            return codeOf("train", this);
        }
    }

    private final Kind kind;

    public TrainingException(Kind kind, String message) {
        this(kind, message, null);
    }

    public TrainingException(Kind kind, String message, Throwable cause) {
        super(kind.code(), Fault.SETUP, message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
