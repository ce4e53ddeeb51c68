package dev.clothes.converter.ir;

/** Activations that formats fuse into the op before them. */
public enum Activation {
    NONE,
    RELU,
    RELU6
}
