package dev.clothes.graphexport.dl4j;

import dev.clothes.inference.error.UserFacingException;

/** A layer the converter cannot express exactly; never silently approximated. */
public final class UnsupportedLayerException extends UserFacingException {

    public static final String CODE = "convert.unsupported-layer";

    public UnsupportedLayerException(String layer, String type, String why) {
        super(CODE, Fault.SETUP, "layer '" + layer + "' (" + type + ") cannot be converted: " + why, null);
    }
}
