package dev.clothes.inference.fetch;

import java.time.Duration;

/**
 * @param connectTimeout           TCP connect
 * @param totalTimeout             whole fetch, redirects and body included
 * @param maxBytes                 body cap; larger bodies are cut off and refused
 * @param maxRedirects             redirects followed, each re-checked against the address policy
 * @param requireImageContentType  refuse bodies whose Content-Type is not image/* or octet-stream
 */
public record FetchLimits(Duration connectTimeout, Duration totalTimeout, long maxBytes, int maxRedirects,
                          boolean requireImageContentType) {

    public static final FetchLimits DEFAULT = new FetchLimits(Duration.ofSeconds(3), Duration.ofSeconds(10),
            10L * 1024 * 1024, 3, false);

    public FetchLimits {
        if (maxBytes <= 0 || maxRedirects < 0 || connectTimeout.isNegative() || totalTimeout.isNegative()) {
            throw new IllegalArgumentException("fetch limits must be positive");
        }
    }
}
