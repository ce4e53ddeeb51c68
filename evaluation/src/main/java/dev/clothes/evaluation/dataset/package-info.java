/** Image-folder datasets ({@code root/split/class/image}) read as sorted, labelled image files. Imports no trainer and no model code. */
package dev.clothes.evaluation.dataset;
