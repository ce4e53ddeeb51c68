package dev.clothes.inference.preprocess;

/** Channel order of the model input. */
public enum ChannelOrder {
    RGB,
    BGR
}
