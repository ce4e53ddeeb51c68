/** The DL4J engine: runs a bundle's ComputationGraph, registered as {@code dl4j}. Imports only inference-core of the project: no other engine, no trainer, no CLI. */
package dev.clothes.inference.runtime.dl4j;
