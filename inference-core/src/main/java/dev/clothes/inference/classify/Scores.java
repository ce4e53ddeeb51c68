package dev.clothes.inference.classify;

import dev.clothes.inference.bundle.Postprocessing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Model outputs to class probabilities and rankings. */
public final class Scores {

    private Scores() {
    }

    /**
     * Applies the bundle's postprocessing: a tempered softmax for logits; for probabilities,
     * temperature scaling of their logarithms (softmax(log p / T)), nothing when T = 1.
     */
    public static float[] probabilities(float[] outputs, Postprocessing post) {
        if (post.softmax()) {
            return softmax(outputs, post.temperature());
        }
        if (post.temperature() == 1.0) {
            return outputs;
        }
        float[] logs = new float[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            logs[i] = (float) Math.log(Math.max(1e-12, outputs[i]));
        }
        return softmax(logs, post.temperature());
    }

    public static float[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] / temperature - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** Index of the highest score (the first one on ties). */
    public static int argMax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The k best classes, best first; ties go to the lower index so rankings are deterministic. */
    public static List<Prediction> topK(float[] scores, List<String> labels, int k) {
        int n = Math.min(k, scores.length);
        Comparator<Integer> worstFirst = Comparator.<Integer>comparingDouble(i -> scores[i])
                .thenComparing(Comparator.<Integer>reverseOrder());
        PriorityQueue<Integer> best = new PriorityQueue<>(worstFirst);
        for (int i = 0; i < scores.length; i++) {
            best.add(i);
            if (best.size() > n) {
                best.poll();
            }
        }
        List<Prediction> ranked = new ArrayList<>(n);
        while (!best.isEmpty()) {
            int i = best.poll();
            ranked.add(0, new Prediction(labels.get(i), i, scores[i]));
        }
        return ranked;
    }
}
