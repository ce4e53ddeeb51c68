package dev.clothes.lambda.handler;

import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.preprocess.TensorLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What a cold start would otherwise do inside the first request, done on a second thread while the model
 * loads: ImageIO's plugin registry and JPEG library (~35 ms), the preprocessing loops compiled (~14 ms), the
 * JSON writer, the request log line and the fetch policy's address table. Nothing it computes is kept; the first request finds the classes loaded and the code compiled.
 */
final class ColdStart {

    private ColdStart() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    static void begin() {
        Thread thread = new Thread(ColdStart::warmUp, "cold-start-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void warmUp() {
        ImageDecoder decoder = new ImageDecoder();
        decoder.decode(warmUpJpeg());
        // A dataset-sized picture, enough loop iterations for the JIT to compile the resampling loops.
        RgbImage picture = new RgbImage(431, 400, new byte[431 * 400 * 3]);
        for (TensorLayout layout : TensorLayout.values()) {
            Preprocessor preprocessor = new Preprocessor(Preprocessing.minusOneToOne(224).withLayout(layout));
            for (int i = 0; i < 3; i++) {
                preprocessor.apply(picture);
            }
        }
        Json.mapper().createObjectNode().put("warm", true).toPrettyString();
        // The request log line: java.time's formatter and the line's code, loaded here rather than in request one.
        PredictService.Outcome outcome = new PredictService.Outcome(400, Json.mapper().createObjectNode(),
                PredictRequest.Source.DIRECT, new PredictService.Facts(PredictRequest.Input.URL, "example.com", 1, null,
                RequestException.CODE));
        RequestLog.line("cold-start-warm-up", outcome, 1, new RequestLog.Function("warm-up", "$LATEST"), "warm-up/1", 1,
                true, java.time.Instant.now()).toString();
        // The address table (read from its data file on first use) for the first URL request; no lookup, no connection.
        try {
            new PublicAddressPolicy(false).check(java.net.URI.create("https://example.com/"),
                    java.net.InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) 215, 14}));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static byte[] warmUpJpeg() {
        try (InputStream in = ColdStart.class.getResourceAsStream("warm-up.jpg")) {
            if (in == null) {
                throw new IllegalStateException("warm-up.jpg is missing from the function's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
