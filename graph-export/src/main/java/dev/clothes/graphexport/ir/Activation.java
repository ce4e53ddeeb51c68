package dev.clothes.graphexport.ir;

/** Activations that formats fuse into the op before them. */
public enum Activation {
    NONE,
    RELU,
    RELU6
}
