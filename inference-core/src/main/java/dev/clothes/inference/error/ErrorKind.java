package dev.clothes.inference.error;

import java.util.Locale;

/**
 * One kind of {@link UserFacingException}, as an enum constant of its exception: whose fault it is and
 * the stable code logs, clients and tests match ({@code area.kind-name}, from the constant's name).
 */
public interface ErrorKind {

    /** The code's first part: {@code fetch}, {@code image}, {@code train}. */
    String area();

    UserFacingException.Fault fault();

    /** The enum constant's name, e.g. {@code TOO_MANY_BYTES}. */
    String name();

    /** {@code area.kind-name}, e.g. {@code image.too-many-bytes}. */
    default String code() {
        return area() + "." + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
