package dev.clothes.inference.classify;

/** Where the time of one classification went, in nanoseconds (decode is 0 for pre-decoded images). */
public record Timings(long decodeNanos, long preprocessNanos, long inferenceNanos) {

    public long totalNanos() {
        return decodeNanos + preprocessNanos + inferenceNanos;
    }

    public double decodeMillis() {
        return decodeNanos / 1e6;
    }

    public double preprocessMillis() {
        return preprocessNanos / 1e6;
    }

    public double inferenceMillis() {
        return inferenceNanos / 1e6;
    }
}
