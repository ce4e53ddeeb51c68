package dev.clothes.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.json.Json;

import org.crac.Core;
import org.crac.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Lambda entry point. The classifier is built once per container (Lambda's INIT phase) from
 * the bundle at {@code $MODEL_BUNDLE} (default {@code /var/task/model}); URLs are fetched only from
 * public addresses unless {@code ALLOW_LOOPBACK_URLS=true} (local development).
 */
public final class PredictHandler implements RequestStreamHandler, Resource {

    private final PredictService service;

    public PredictHandler() {
        this(openClassifier(),
                new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(
                        Boolean.parseBoolean(System.getenv("ALLOW_LOOPBACK_URLS")))));
    }

    /** The bundle at $MODEL_BUNDLE, while a second thread warms up what the first request needs besides it. */
    private static Classifier openClassifier() {
        ColdStart.begin();
        return Classifier.open(Path.of(Optional.ofNullable(System.getenv("MODEL_BUNDLE")).orElse("/var/task/model")),
                ClassifierOptions.DEFAULT);
    }

    public PredictHandler(Classifier classifier, ImageFetcher fetcher) {
        this.service = new PredictService(classifier, fetcher);
        // SnapStart (CRaC) calls the hooks below around the snapshot; elsewhere this is a no-op.
        Core.getGlobalContext().register(this);
    }

    /**
     * Before the SnapStart snapshot: real inferences on a small and a large JPEG, so the snapshot holds a warm
     * model, both decoders (ImageIO at full size, libjpeg-turbo at a reduced scale) and warm code paths.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        for (int side : new int[] {64, 1024}) {
            long start = System.nanoTime();
            PredictService.Outcome primed = service.handle(Map.of("image", primingImage(side)), "snapstart-prime");
            if (primed.status() != 200) {
                throw new IllegalStateException("priming inference failed: " + primed.body());
            }
            log("snapstart-prime", primed, (System.nanoTime() - start) / 1e6, null, false);
        }
    }

    /** Nothing to re-create: the fetcher opens a fresh socket per request and keeps no threads or connections. */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }

    /**
     * A black square JPEG, base64. Made only for the snapshot: encoding it at class initialisation cost every
     * cold start ~50 ms of ImageIO and AWT.
     */
    private static String primingImage(int side) {
        try {
            java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(side, side,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(grey, "jpg", jpeg);
            return java.util.Base64.getEncoder().encodeToString(jpeg.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * What the Lambda runtime calls: the event's bytes in, the answer's bytes out, both through the project's
     * JSON mapper (already warm from loading the bundle), so the runtime client never starts its own JSON
     * binding; that cost a cold start ~30 ms.
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = null;
        String notAnObject = "null";
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = Json.mapper().readValue(input, Map.class);
            event = parsed;
        } catch (JsonProcessingException e) {
            notAnObject = e.getOriginalMessage();
        }
        if (event != null) {
            COMPACT.writeValue(output, answer(event, context));
            return;
        }
        // Lambda events are JSON objects; a direct invocation with anything else is the caller's mistake.
        String requestId = requestId(null, context);
        PredictService.Outcome refused = service.refuse("the event is not a JSON object: " + notAnObject, requestId);
        log(requestId, refused, 0, context, true);
        COMPACT.writeValue(output, refused.body());
    }

    /** The answer as one line: API Gateway and direct callers parse it; indentation would only cost bytes. */
    private static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    /** One event (an API Gateway proxy event or a direct invocation's payload) to its answer, as a map. */
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Object answer = answer(event, context);
        if (answer instanceof ObjectNode body) {
            @SuppressWarnings("unchecked")
            Map<String, Object> asMap = Json.mapper().convertValue(body, Map.class);
            return asMap;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> response = (Map<String, Object>) answer;
        return response;
    }

    /** A direct invocation's answer is its body (a JSON tree); API Gateway's is the proxy response map. */
    private Object answer(Map<String, Object> event, Context context) {
        long start = System.nanoTime();
        String requestId = requestId(event, context);
        PredictService.Outcome outcome = service.handle(event, requestId);
        log(requestId, outcome, (System.nanoTime() - start) / 1e6, context, true);
        if (outcome.source() == PredictRequest.Source.DIRECT) {
            return outcome.body();
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", outcome.status());
        // X-Model: which model answered, so a client can tell the versions apart during a canary.
        response.put("headers", Map.of("Content-Type", "application/json", "X-Request-Id", requestId,
                "X-Model", service.modelHeader()));
        try {
            response.put("body", Json.mapper().writeValueAsString(outcome.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        response.put("isBase64Encoded", false);
        return response;
    }

    /** Lambda's request id; without a Lambda context (local runs), API Gateway's, else a fresh one. */
    private static String requestId(Map<String, Object> event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        if (event != null && event.get("requestContext") instanceof Map<?, ?> rc && rc.get("requestId") != null) {
            return String.valueOf(rc.get("requestId"));
        }
        return "local-" + java.util.UUID.randomUUID();
    }

    /**
     * One structured line per request on stdout, with its metrics embedded ({@link RequestLog}); the SnapStart
     * priming inference logs its line without metrics.
     */
    private void log(String requestId, PredictService.Outcome outcome, double millis, Context context, boolean metrics) {
        System.out.println(RequestLog.line(requestId, outcome, millis, RequestLog.Function.of(context),
                service.modelName(), service.classCount(), metrics, java.time.Instant.now()).toString());
    }
}
