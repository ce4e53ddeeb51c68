/** The DL4J engine: runs a bundle's ComputationGraph, registered as {@code dl4j}. Imports {@code inference.bundle}, {@code inference.runtime}. */
package dev.clothes.inference.runtime.dl4j;
