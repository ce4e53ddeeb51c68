package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.Prediction;
import dev.clothes.inference.error.UserFacingException;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.fetch.ImageFetcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * The function's work, independent of how Lambda delivers it: event to request, fetch or decode,
 * classify, and a response (or an error with a status) that always carries the request id.
 */
public final class PredictService {

    private static final String INTERNAL = "internal error";

    private final Classifier classifier;
    private final ImageFetcher fetcher;
    private final EventParser parser;

    public PredictService(Classifier classifier, ImageFetcher fetcher) {
        this.classifier = classifier;
        this.fetcher = fetcher;
        this.parser = new EventParser(fetcher.limits().maxBytes());
    }

    /** Status and JSON body for one event. */
    public record Outcome(int status, ObjectNode body, PredictRequest.Source source) {
    }

    public Outcome handle(Map<String, Object> event, String requestId) {
        PredictRequest.Source source = EventParser.sourceOf(event);
        try {
            PredictRequest request = parser.parse(event);
            byte[] image = request.url() != null ? fetcher.fetch(request.url()) : request.image();
            return new Outcome(200, body(classifier.classify(image, request.topK()), requestId), source);
        } catch (UserFacingException e) {
            if (e.fault() == UserFacingException.Fault.SETUP) {
                // The operator's to fix: the caller gets no details of the deployment.
                log(requestId, e);
                return error(status(e), INTERNAL, requestId, source);
            }
            return error(status(e), e.getMessage(), requestId, source);
        } catch (RuntimeException e) {
            log(requestId, e);
            return error(500, INTERNAL, requestId, source);
        }
    }

    /** A direct invocation's answer for a payload that cannot be read as an event: 400, a caller's mistake. */
    public Outcome refuse(String message, String requestId) {
        return error(400, message, requestId, PredictRequest.Source.DIRECT);
    }

    /**
     * The one place an error becomes a status: the caller's mistakes are 400 (422 for a URL the
     * address policy refuses), a failing image server 502 (504 when too slow), and a broken setup
     * (e.g. the bundle) 500, since the caller can do nothing about it.
     */
    static int status(UserFacingException e) {
        if (e.code().equals(FetchException.Kind.REFUSED.code())) {
            return 422;
        }
        if (e.code().equals(FetchException.Kind.TIMEOUT.code())) {
            return 504;
        }
        return switch (e.fault()) {
            case CALLER -> 400;
            case UPSTREAM -> 502;
            case SETUP -> 500;
        };
    }

    /** Internals go to the log only, never to the caller. */
    private static void log(String requestId, RuntimeException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        ObjectNode line = Json.mapper().createObjectNode().put("requestId", requestId).put("level", "ERROR")
                .put("error", String.valueOf(e)).put("stackTrace", trace.toString());
        if (e instanceof UserFacingException known) {
            line.put("code", known.code());
        }
        System.err.println(line);
    }

    /** The ranked top k, and every class's score in label order straight from the model's output order. */
    private ObjectNode body(Classification result, String requestId) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode ranked = body.putArray("predictions");
        for (Prediction p : result.predictions()) {
            ranked.addObject().put("label", p.label()).put("score", p.score());
        }
        ObjectNode scores = body.putObject("scores");
        float[] probabilities = result.probabilities();
        List<String> labels = classifier.labels();
        for (int i = 0; i < probabilities.length; i++) {
            scores.put(labels.get(i), probabilities[i]);
        }
        // Added fields only: bundles without out-of-distribution scorers answer exactly as before.
        result.ood().ifPresent(ood -> body.put("unsure", ood.unsure())
                .set("outOfDistribution", Json.mapper().valueToTree(ood)));
        body.putObject("model").put("name", classifier.manifest().name()).put("version", classifier.manifest().version());
        body.putObject("timingsMs").put("decode", result.timings().decodeMillis())
                .put("preprocess", result.timings().preprocessMillis()).put("inference", result.timings().inferenceMillis());
        body.put("requestId", requestId);
        return body;
    }

    private static Outcome error(int status, String message, String requestId, PredictRequest.Source source) {
        ObjectNode body = Json.mapper().createObjectNode().put("error", message).put("status", status)
                .put("requestId", requestId);
        return new Outcome(status, body, source);
    }
}
