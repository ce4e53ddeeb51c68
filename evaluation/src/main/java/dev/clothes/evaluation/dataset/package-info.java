/** Image-folder datasets ({@code root/split/class/image}) read as sorted, labelled image files. Imports {@code inference.error}. */
package dev.clothes.evaluation.dataset;
