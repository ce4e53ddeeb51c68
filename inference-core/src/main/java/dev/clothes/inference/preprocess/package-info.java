/** Preprocessing as data (crop, resize, normalisation, channel order, layout) and its one implementation. Imports {@code inference.image}. */
package dev.clothes.inference.preprocess;
