package dev.clothes.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

/**
 * The golden models: one fixed-seed 12x12 MobileNet-style graph (3 classes) as DL4J, TFLite float32 and
 * ONNX files, and its DL4J answer for {@link #input()}. Real models of every engine that load and run in
 * milliseconds; graph-export's {@code GoldenModels} made them and its test keeps them reproducible.
 */
public final class Golden {

    /** Height and width of the input. */
    public static final int SIZE = 12;
    public static final List<String> LABELS = List.of("a", "b", "c");
    /** The tensor names of the graph (Keras-style). */
    public static final String INPUT = "input_1";
    public static final String OUTPUT = "predictions";
    /** The global average pooling vertex: the graph's embedding (8 values). */
    public static final String EMBEDDING = "pool";

    private Golden() {
    }

    /** {@code tiny.tflite}, {@code tiny.onnx}, {@code tiny-dl4j.zip} or {@code expected-output.txt}. */
    public static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("golden/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixed input, NHWC, values in [-1, 1). */
    public static float[] input() {
        Random random = new Random(7);
        float[] nhwc = new float[SIZE * SIZE * 3];
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = random.nextFloat() * 2 - 1;
        }
        return nhwc;
    }

    /** {@link #input()} in NCHW order, as the DL4J and ONNX files take it. */
    public static float[] inputNchw() {
        float[] nhwc = input();
        float[] nchw = new float[nhwc.length];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                for (int c = 0; c < 3; c++) {
                    nchw[(c * SIZE + y) * SIZE + x] = nhwc[(y * SIZE + x) * 3 + c];
                }
            }
        }
        return nchw;
    }

    /** The DL4J graph's probabilities for {@link #input()}. */
    public static float[] expectedOutput() {
        String[] lines = new String(bytes("expected-output.txt")).strip().split("\n");
        float[] v = new float[lines.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(lines[i]);
        }
        return v;
    }
}
