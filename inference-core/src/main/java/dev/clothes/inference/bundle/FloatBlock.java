package dev.clothes.inference.bundle;

/**
 * A row-major float32 matrix inside a bundle's binary file: {@code rows x cols} values starting
 * {@code offset} floats from the file's start (little-endian).
 */
public record FloatBlock(long offset, int rows, int cols) {

    public FloatBlock {
        if (offset < 0 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a float block needs offset >= 0 and rows, cols >= 1, got offset "
                    + offset + ", " + rows + "x" + cols);
        }
    }

    public long length() {
        return (long) rows * cols;
    }
}
