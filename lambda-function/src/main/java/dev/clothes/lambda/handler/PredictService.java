package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.Prediction;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.image.ImageDecodeException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The function's work, independent of how Lambda delivers it: event to request, fetch or decode,
 * classify, and a response (or an error with a status) that always carries the request id.
 */
public final class PredictService {

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
            Classification all = classifier.classify(image, classifier.labels().size());
            return new Outcome(200, body(all, request.topK(), requestId), source);
        } catch (RequestException e) {
            return error(e.status(), e.getMessage(), requestId, source);
        } catch (ImageDecodeException e) {
            return error(400, e.getMessage(), requestId, source);
        } catch (FetchException e) {
            int status = switch (e.kind()) {
                case INVALID_URL, TOO_LARGE, NOT_AN_IMAGE -> 400;
                case REFUSED -> 422;
                case TIMEOUT -> 504;
                case UNREACHABLE, BAD_RESPONSE -> 502;
            };
            return error(status, e.getMessage(), requestId, source);
        } catch (RuntimeException e) {
            // Never leak internals to the caller; the log line carries the details.
            System.err.println("{\"requestId\":\"" + requestId + "\",\"level\":\"ERROR\",\"error\":"
                    + Json.mapper().valueToTree(String.valueOf(e)) + "}");
            return error(500, "internal error", requestId, source);
        }
    }

    private ObjectNode body(Classification all, int topK, String requestId) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode ranked = body.putArray("predictions");
        Map<String, Float> flat = new LinkedHashMap<>();
        int rank = 0;
        for (Prediction p : all.predictions()) {
            if (rank++ < topK) {
                ranked.addObject().put("label", p.label()).put("score", p.score());
            }
        }
        for (String label : classifier.labels()) {
            flat.put(label, 0f);
        }
        all.predictions().forEach(p -> flat.put(p.label(), p.score()));
        ObjectNode scores = body.putObject("scores");
        flat.forEach(scores::put);
        body.putObject("model").put("name", classifier.manifest().name()).put("version", classifier.manifest().version());
        body.putObject("timingsMs").put("decode", all.timings().decodeMillis())
                .put("preprocess", all.timings().preprocessMillis()).put("inference", all.timings().inferenceMillis());
        body.put("requestId", requestId);
        return body;
    }

    private static Outcome error(int status, String message, String requestId, PredictRequest.Source source) {
        ObjectNode body = Json.mapper().createObjectNode().put("error", message).put("status", status)
                .put("requestId", requestId);
        return new Outcome(status, body, source);
    }
}
