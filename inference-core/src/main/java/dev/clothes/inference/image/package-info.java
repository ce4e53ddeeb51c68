/** Image bytes to upright RGB: JPEG, PNG, GIF, BMP and WebP decoding, EXIF orientation, budgets checked before decoding. Imports {@code inference.error}. */
package dev.clothes.inference.image;
