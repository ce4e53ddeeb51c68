/** The {@code inference} command (predict, bundle create and verify, bench) and the user-error handler every CLI shares. Imports no lambda, no trainer, no converter. */
package dev.clothes.inference.cli;
