package dev.clothes.trainer.ood;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Class means and the inverse of the covariance they share (within-class scatter), shrunk toward
 * a scaled identity by the Ledoit-Wolf rule so the inverse is stable even with few images per
 * dimension (and ReLU embeddings with dead units).
 *
 * @param shrinkage the weight of the identity target, in [0, 1]
 */
record SharedCovariance(float[][] means, float[][] precision, double shrinkage) {

    static SharedCovariance fit(float[][] x, int[] labels, int classes) {
        int n = x.length;
        int d = x[0].length;
        double[][] means = new double[classes][d];
        int[] counts = new int[classes];
        for (int i = 0; i < n; i++) {
            counts[labels[i]]++;
            for (int j = 0; j < d; j++) {
                means[labels[i]][j] += x[i][j];
            }
        }
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no training image to fit its mean");
            }
            for (int j = 0; j < d; j++) {
                means[c][j] /= counts[c];
            }
        }
        double[][] centred = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = x[i][j] - means[labels[i]][j];
            }
        }
        INDArray z = Nd4j.create(centred);
        INDArray s = z.transpose().mmul(z).divi(n);
        double mu = s.mul(Nd4j.eye(d).castTo(DataType.DOUBLE)).sumNumber().doubleValue() / d;
        if (mu == 0) {
            throw new IllegalArgumentException("the embeddings do not vary within classes; no covariance to fit");
        }
        INDArray target = Nd4j.eye(d).castTo(DataType.DOUBLE).muli(mu);
        double delta = s.sub(target).norm2Number().doubleValue();
        delta *= delta;
        // Ledoit-Wolf: how far single outer products stray from S, averaged, estimates S's own noise.
        // ||z zT - S||² = |z|^4 - 2 zT S z + ||S||², for every row z at once.
        double sNorm = s.norm2Number().doubleValue();
        INDArray squared = z.mul(z).sum(1);
        INDArray quad = z.mmul(s).muli(z).sum(1);
        double beta = (squared.mul(squared).subi(quad.muli(2)).sumNumber().doubleValue() + n * sNorm * sNorm)
                / ((double) n * n);
        double shrinkage = delta == 0 ? 1 : Math.min(1, beta / delta);
        INDArray shrunk = s.mul(1 - shrinkage).addi(target.mul(shrinkage));
        double[][] precision = inverse(shrunk.toDoubleMatrix());
        float[][] m = new float[classes][d];
        float[][] p = new float[d][d];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                m[c][j] = (float) means[c][j];
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                p[i][j] = (float) precision[i][j];
            }
        }
        return new SharedCovariance(m, p, shrinkage);
    }

    /** The inverse of a symmetric positive definite matrix, through its Cholesky factor L (a = L Lt). */
    static double[][] inverse(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalArgumentException("the shrunk covariance is not positive definite (pivot "
                                + sum + " at " + i + ")");
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        // inv(L) by forward substitution, then inv(a) = inv(L)t inv(L).
        double[][] li = new double[d][d];
        for (int i = 0; i < d; i++) {
            li[i][i] = 1 / l[i][i];
            for (int j = 0; j < i; j++) {
                double sum = 0;
                for (int k = j; k < i; k++) {
                    sum -= l[i][k] * li[k][j];
                }
                li[i][j] = sum / l[i][i];
            }
        }
        double[][] inv = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int k = i; k < d; k++) {
                    sum += li[k][i] * li[k][j];
                }
                inv[i][j] = sum;
                inv[j][i] = sum;
            }
        }
        return inv;
    }
}
