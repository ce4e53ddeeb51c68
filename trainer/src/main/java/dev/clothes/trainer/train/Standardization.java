package dev.clothes.trainer.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-feature mean and standard deviation of the training rows: {@code z = (x - mean) / std}. A dense
 * layer trained on {@code z} computes the same from raw {@code x} with {@code W' = W / std} (row-wise) and
 * {@code b' = b - (mean / std) W}, so the deployable graph needs no extra layer.
 */
record Standardization(float[] mean, float[] std) {

    static Standardization fit(float[][] rows) {
        int n = rows[0].length;
        double[] sum = new double[n];
        double[] squares = new double[n];
        for (float[] row : rows) {
            for (int j = 0; j < n; j++) {
                sum[j] += row[j];
                squares[j] += (double) row[j] * row[j];
            }
        }
        float[] mean = new float[n];
        float[] std = new float[n];
        for (int j = 0; j < n; j++) {
            double m = sum[j] / rows.length;
            double variance = Math.max(0, squares[j] / rows.length - m * m);
            mean[j] = (float) m;
            // A constant feature (a ReLU unit never active) is only centred.
            std[j] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new Standardization(mean, std);
    }

    float[][] apply(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new float[rows[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (rows[i][j] - mean[j]) / std[j];
            }
        }
        return out;
    }

    /** Rewrites {@code layer} (dense, weights [in, out]) of {@code graph} to read raw features. */
    void foldInto(ComputationGraph graph, String layer) {
        Layer dense = graph.getLayer(layer);
        INDArray w = dense.getParam("W");
        INDArray b = dense.getParam("b");
        INDArray inverseStd = Nd4j.create(std).rdiv(1.0).castTo(w.dataType()).reshape(std.length, 1);
        INDArray scaled = w.mulColumnVector(inverseStd);
        INDArray shift = Nd4j.create(mean).castTo(w.dataType()).reshape(1, mean.length).mmul(scaled);
        dense.setParam("W", scaled);
        dense.setParam("b", b.sub(shift.reshape(b.shape())));
    }
}
