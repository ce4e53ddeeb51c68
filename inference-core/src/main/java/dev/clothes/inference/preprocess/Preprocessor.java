package dev.clothes.inference.preprocess;

import dev.clothes.inference.image.RgbImage;

/**
 * The one implementation of {@link Preprocessing}: crop, separable resample, normalise, reorder
 * channels and lay out, straight from the interleaved byte array. Immutable and thread-safe.
 */
public final class Preprocessor {

    private final Preprocessing spec;
    private final float[] mean = new float[3];
    private final float[] std = new float[3];
    private final int[] sourceChannel;

    public Preprocessor(Preprocessing spec) {
        this.spec = spec;
        for (int c = 0; c < 3; c++) {
            mean[c] = spec.normalization().mean().get(c).floatValue();
            std[c] = spec.normalization().std().get(c).floatValue();
        }
        sourceChannel = spec.channelOrder() == ChannelOrder.RGB ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
    }

    public Preprocessing spec() {
        return spec;
    }

    /** The model input for one image, {@link Preprocessing#tensorLength()} real values. */
    public float[] apply(RgbImage image) {
        float[] out = new float[spec.tensorLength()];
        apply(image, out, 0);
        return out;
    }

    /** The input of the image's mirror image: {@code input} (one image, this preprocessing's layout) flipped left to right. */
    public float[] mirror(float[] input) {
        int w = spec.width();
        int h = spec.height();
        float[] out = new float[input.length];
        if (spec.layout() == TensorLayout.NHWC) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    System.arraycopy(input, (y * w + w - 1 - x) * 3, out, (y * w + x) * 3, 3);
                }
            }
        } else {
            for (int row = 0; row < 3 * h; row++) {
                int base = row * w;
                for (int x = 0; x < w; x++) {
                    out[base + x] = input[base + w - 1 - x];
                }
            }
        }
        return out;
    }

    /**
     * Writes one image's input values into {@code out} from {@code offset} (for batches). The last resampling
     * pass clamps, normalises and writes in the tensor's layout as it goes: no image-sized intermediate.
     */
    public void apply(RgbImage image, float[] out, int outOffset) {
        int outW = spec.width();
        int outH = spec.height();
        double[] region = cropRegion(image.width(), image.height());
        Taps cols = Taps.of(spec.resize(), outW, region[0], region[2], image.width());
        Taps rows = Taps.of(spec.resize(), outH, region[1], region[3], image.height());
        Sink sink = new Sink(out, outOffset);
        long horizontalFirst = (long) (rows.maxIndex() - rows.minIndex() + 1) * outW;
        long verticalFirst = (long) (cols.maxIndex() - cols.minIndex() + 1) * outH;
        if (horizontalFirst <= SMALL_INTERMEDIATE || horizontalFirst <= verticalFirst) {
            horizontalFirst(image, cols, rows, outW, outH, sink);
        } else {
            verticalFirst(image, cols, rows, outW, outH, sink);
        }
    }

    /**
     * Intermediate buffers up to this many pixels always use the horizontal-first order; vertical first when
     * that intermediate would be far larger, as for a 1-pixel-wide strip two million pixels tall (found by
     * fuzzing: 860 MB for a 32x32 output).
     */
    private static final long SMALL_INTERMEDIATE = 1 << 20;

    /** Where one resampled pixel goes: clamped, normalised, in the bundle's channel order and layout. */
    private final class Sink {
        private final float[] out;
        private final int offset;
        private final int pixelStride;
        /** Per source channel (R, G, B): its tensor channel's offset, mean and standard deviation. */
        private final int[] channelOffset = new int[3];
        private final float[] channelMean = new float[3];
        private final float[] channelStd = new float[3];

        Sink(float[] out, int offset) {
            this.out = out;
            this.offset = offset;
            boolean nhwc = spec.layout() == TensorLayout.NHWC;
            this.pixelStride = nhwc ? 3 : 1;
            int plane = spec.width() * spec.height();
            for (int c = 0; c < 3; c++) {
                int source = sourceChannel[c];
                channelOffset[source] = nhwc ? c : c * plane;
                channelMean[source] = mean[c];
                channelStd[source] = std[c];
            }
        }

        void put(int pixel, float r, float g, float b) {
            int o = offset + pixel * pixelStride;
            out[o + channelOffset[0]] = (clamp(r) - channelMean[0]) / channelStd[0];
            out[o + channelOffset[1]] = (clamp(g) - channelMean[1]) / channelStd[1];
            out[o + channelOffset[2]] = (clamp(b) - channelMean[2]) / channelStd[2];
        }

        /** Float weights may sum to a hair over 1; a resampled pixel stays within 0..255. */
        private static float clamp(float p) {
            return Math.min(255f, Math.max(0f, p));
        }
    }

    private static void horizontalFirst(RgbImage image, Taps cols, Taps rows, int outW, int outH, Sink sink) {
        int rowMin = rows.minIndex();
        int rowMax = rows.maxIndex();
        int srcW = image.width();
        byte[] px = image.pixels();
        float[] horizontal = new float[(rowMax - rowMin + 1) * outW * 3];
        for (int sy = rowMin; sy <= rowMax; sy++) {
            int rowBase = sy * srcW * 3;
            int h = (sy - rowMin) * outW * 3;
            if (cols.pairs()) {
                // Bilinear: exactly two taps each, summed in the same order as the general loop below.
                for (int x = 0, t = 0; x < outW; x++, h += 3, t += 2) {
                    int s0 = rowBase + cols.index[t] * 3;
                    int s1 = rowBase + cols.index[t + 1] * 3;
                    float w0 = cols.weight[t];
                    float w1 = cols.weight[t + 1];
                    horizontal[h] = (px[s0] & 0xFF) * w0 + (px[s1] & 0xFF) * w1;
                    horizontal[h + 1] = (px[s0 + 1] & 0xFF) * w0 + (px[s1 + 1] & 0xFF) * w1;
                    horizontal[h + 2] = (px[s0 + 2] & 0xFF) * w0 + (px[s1 + 2] & 0xFF) * w1;
                }
                continue;
            }
            for (int x = 0; x < outW; x++, h += 3) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int t = cols.start[x]; t < cols.start[x + 1]; t++) {
                    int s = rowBase + cols.index[t] * 3;
                    float w = cols.weight[t];
                    r += (px[s] & 0xFF) * w;
                    g += (px[s + 1] & 0xFF) * w;
                    b += (px[s + 2] & 0xFF) * w;
                }
                horizontal[h] = r;
                horizontal[h + 1] = g;
                horizontal[h + 2] = b;
            }
        }
        for (int y = 0; y < outH; y++) {
            if (rows.pairs()) {
                int h0 = (rows.index[2 * y] - rowMin) * outW * 3;
                int h1 = (rows.index[2 * y + 1] - rowMin) * outW * 3;
                float w0 = rows.weight[2 * y];
                float w1 = rows.weight[2 * y + 1];
                for (int x = 0, h = 0; x < outW; x++, h += 3) {
                    sink.put(y * outW + x, horizontal[h0 + h] * w0 + horizontal[h1 + h] * w1,
                            horizontal[h0 + h + 1] * w0 + horizontal[h1 + h + 1] * w1,
                            horizontal[h0 + h + 2] * w0 + horizontal[h1 + h + 2] * w1);
                }
                continue;
            }
            for (int x = 0; x < outW; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int t = rows.start[y]; t < rows.start[y + 1]; t++) {
                    int h = ((rows.index[t] - rowMin) * outW + x) * 3;
                    float w = rows.weight[t];
                    r += horizontal[h] * w;
                    g += horizontal[h + 1] * w;
                    b += horizontal[h + 2] * w;
                }
                sink.put(y * outW + x, r, g, b);
            }
        }
    }

    private static void verticalFirst(RgbImage image, Taps cols, Taps rows, int outW, int outH, Sink sink) {
        int colMin = cols.minIndex();
        int span = cols.maxIndex() - colMin + 1;
        int srcW = image.width();
        byte[] px = image.pixels();
        float[] vertical = new float[outH * span * 3];
        for (int y = 0; y < outH; y++) {
            for (int sx = colMin; sx < colMin + span; sx++) {
                int v = (y * span + sx - colMin) * 3;
                for (int t = rows.start[y]; t < rows.start[y + 1]; t++) {
                    int s = (rows.index[t] * srcW + sx) * 3;
                    float w = rows.weight[t];
                    vertical[v] += (px[s] & 0xFF) * w;
                    vertical[v + 1] += (px[s + 1] & 0xFF) * w;
                    vertical[v + 2] += (px[s + 2] & 0xFF) * w;
                }
            }
        }
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int t = cols.start[x]; t < cols.start[x + 1]; t++) {
                    int v = (y * span + cols.index[t] - colMin) * 3;
                    float w = cols.weight[t];
                    r += vertical[v] * w;
                    g += vertical[v + 1] * w;
                    b += vertical[v + 2] * w;
                }
                sink.put(y * outW + x, r, g, b);
            }
        }
    }

    /** {x, y, width, height} of the source region, in source pixel units (fractional). */
    double[] cropRegion(int srcW, int srcH) {
        return spec.cropRegion(srcW, srcH);
    }

    /** Source taps per output position, in compressed-row form: taps of i are start[i]..start[i+1]. */
    /** @param pairs whether every output position has exactly two taps, 2i and 2i + 1 (bilinear) */
    private record Taps(int[] start, int[] index, float[] weight, boolean pairs) {

        static Taps of(ResizeMethod method, int outSize, double inStart, double inSize, int limit) {
            double scale = inSize / outSize;
            int maxTaps = method == ResizeMethod.AREA && scale > 1 ? (int) Math.ceil(scale) + 2 : 2;
            int[] start = new int[outSize + 1];
            int[] index = new int[outSize * maxTaps];
            float[] weight = new float[outSize * maxTaps];
            int n = 0;
            for (int i = 0; i < outSize; i++) {
                start[i] = n;
                double center = inStart + (i + 0.5) * scale;
                if (method == ResizeMethod.NEAREST) {
                    index[n] = clamp((int) Math.floor(center), limit);
                    weight[n++] = 1f;
                } else if (method == ResizeMethod.AREA && scale > 1) {
                    double lo = center - scale / 2;
                    double hi = center + scale / 2;
                    double total = 0;
                    int first = n;
                    for (int j = (int) Math.floor(lo); j < hi; j++) {
                        double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
                        if (overlap > 1e-9) {
                            index[n] = clamp(j, limit);
                            weight[n++] = (float) overlap;
                            total += overlap;
                        }
                    }
                    for (int t = first; t < n; t++) {
                        weight[t] = (float) (weight[t] / total);
                    }
                } else {
                    double pos = center - 0.5;
                    int i0 = (int) Math.floor(pos);
                    float f = (float) (pos - i0);
                    index[n] = clamp(i0, limit);
                    weight[n++] = 1 - f;
                    index[n] = clamp(i0 + 1, limit);
                    weight[n++] = f;
                }
            }
            start[outSize] = n;
            boolean pairs = true;
            for (int i = 0; i < outSize && pairs; i++) {
                pairs = start[i + 1] - start[i] == 2;
            }
            return new Taps(start, index, weight, pairs);
        }

        int minIndex() {
            int min = Integer.MAX_VALUE;
            for (int t = 0; t < start[start.length - 1]; t++) {
                min = Math.min(min, index[t]);
            }
            return min;
        }

        int maxIndex() {
            int max = 0;
            for (int t = 0; t < start[start.length - 1]; t++) {
                max = Math.max(max, index[t]);
            }
            return max;
        }

        private static int clamp(int i, int limit) {
            return i < 0 ? 0 : Math.min(i, limit - 1);
        }
    }
}
