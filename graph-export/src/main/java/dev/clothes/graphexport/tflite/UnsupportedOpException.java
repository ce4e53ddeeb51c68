package dev.clothes.graphexport.tflite;

/** A TFLite file with an operator (or operator option) the reader cannot import exactly; the message names it. */
public final class UnsupportedOpException extends IllegalArgumentException {

    public UnsupportedOpException(String message) {
        super(message);
    }
}
