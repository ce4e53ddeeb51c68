package dev.clothes.trainer.ood;

import dev.clothes.inference.bundle.FloatBlock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The scorers' binary file being written: matrices appended one after another as float32, little-endian. */
final class FloatFile {

    private final List<float[][]> blocks = new ArrayList<>();
    private long floats;

    /** Appends {@code m} (rows of equal length) and says where it lies. */
    FloatBlock add(float[][] m) {
        FloatBlock block = new FloatBlock(floats, m.length, m[0].length);
        blocks.add(m);
        floats += block.length();
        return block;
    }

    byte[] bytes() {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(floats * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[][] m : blocks) {
            for (float[] row : m) {
                for (float v : row) {
                    buffer.putFloat(v);
                }
            }
        }
        return buffer.array();
    }
}
