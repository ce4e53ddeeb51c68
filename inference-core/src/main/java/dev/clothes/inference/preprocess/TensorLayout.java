package dev.clothes.inference.preprocess;

/** Memory layout of the image tensor: TFLite and Keras use NHWC, ONNX models often NCHW. */
public enum TensorLayout {
    NHWC,
    NCHW
}
