/** Far out-of-distribution images drawn on the spot (noise, flat colours, gradients, rendered text), so no such file needs to be kept. Imports nothing of the project. */
package dev.clothes.evaluation.ood;
