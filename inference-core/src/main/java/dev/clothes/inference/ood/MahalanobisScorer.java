package dev.clothes.inference.ood;

/**
 * The squared Mahalanobis distance from the embedding to the nearest class mean, with one shared
 * (shrunk) covariance whose inverse is stored.
 *
 * @param means     [classes][embedding]
 * @param precision [embedding][embedding], the inverse of the shared covariance
 */
public record MahalanobisScorer(float[][] means, float[][] precision) implements OodScorer {

    public static final String NAME = "mahalanobis";

    public MahalanobisScorer {
        int d = precision.length;
        for (float[] row : precision) {
            if (row.length != d) {
                throw new IllegalArgumentException("mahalanobis: the precision matrix is not square");
            }
        }
        for (float[] mean : means) {
            if (mean.length != d) {
                throw new IllegalArgumentException("mahalanobis: a class mean has " + mean.length
                        + " values, the precision matrix " + d);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(float[] probabilities, float[] embedding) {
        int d = precision.length;
        double[] diff = new double[d];
        double best = Double.POSITIVE_INFINITY;
        for (float[] mean : means) {
            for (int j = 0; j < d; j++) {
                diff[j] = embedding[j] - mean[j];
            }
            double distance = 0;
            for (int i = 0; i < d; i++) {
                float[] row = precision[i];
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += row[j] * diff[j];
                }
                distance += diff[i] * dot;
            }
            best = Math.min(best, distance);
        }
        return best;
    }
}
