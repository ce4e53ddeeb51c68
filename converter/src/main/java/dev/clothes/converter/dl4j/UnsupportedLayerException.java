package dev.clothes.converter.dl4j;

/** A layer the converter cannot express exactly; never silently approximated. */
public final class UnsupportedLayerException extends RuntimeException {

    public UnsupportedLayerException(String layer, String type, String why) {
        super("layer '" + layer + "' (" + type + ") cannot be converted: " + why);
    }
}
