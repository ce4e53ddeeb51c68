package dev.clothes.lambda.handler;

import dev.clothes.inference.fetch.FetchLimits;

import java.time.Duration;

/**
 * The longest one request may take, written once: the URL fetch's whole allowance (connect, redirects and
 * body, {@link FetchLimits#totalTimeout()}), decoding the largest image the limits accept (40 megapixels; a
 * dataset JPEG takes ~3 ms), the model (13 ms warm on one vCPU, 61 ms for the first request after a restore),
 * and a margin for the response. {@code infra/template.yaml}'s {@code Timeout} is {@link #lambdaTimeoutSeconds()}
 * of {@link #DEFAULT}, checked by the template test: a round 30 s would bill a hung request twice as long.
 */
public record TimeBudget(Duration fetch, Duration decode, Duration inference, Duration margin) {

    public static final TimeBudget DEFAULT = new TimeBudget(FetchLimits.DEFAULT.totalTimeout(), Duration.ofSeconds(3),
            Duration.ofSeconds(1), Duration.ofSeconds(1));

    public TimeBudget {
        for (Duration d : new Duration[] {fetch, decode, inference, margin}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("time budget parts must be zero or more, got " + d);
            }
        }
    }

    public Duration total() {
        return fetch.plus(decode).plus(inference).plus(margin);
    }

    /** The Lambda Timeout: whole seconds, rounded up. */
    public int lambdaTimeoutSeconds() {
        long millis = total().toMillis();
        return (int) ((millis + 999) / 1000);
    }
}
