package dev.clothes.graphexport.ir;

/** TF padding: SAME pads so that output = ceil(input / stride), extra row/column at the bottom/right. */
public enum Padding {
    SAME,
    VALID;

    public int outputSize(int input, int kernel, int stride) {
        return this == SAME ? (input + stride - 1) / stride : (input - kernel) / stride + 1;
    }
}
