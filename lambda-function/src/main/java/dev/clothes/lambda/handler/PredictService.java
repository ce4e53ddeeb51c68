package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.Prediction;
import dev.clothes.inference.error.UserFacingException;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.json.Json;

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
    /** The request log's error code for a bug (an exception that is not a {@link UserFacingException}). */
    static final String INTERNAL_CODE = "internal.error";
    /** Characters of the bundle's sha256 that responses carry: enough to tell two model versions apart. */
    static final int SHA256_PREFIX = 12;

    private final Classifier classifier;
    private final ImageFetcher fetcher;
    private final EventParser parser;
    private final ObjectNode model;
    private final String modelHeader;

    public PredictService(Classifier classifier, ImageFetcher fetcher) {
        this.classifier = classifier;
        this.fetcher = fetcher;
        this.parser = new EventParser(fetcher.limits().maxBytes());
        String sha256 = classifier.bundleSha256().substring(0, SHA256_PREFIX);
        this.model = Json.mapper().createObjectNode().put("name", classifier.manifest().name())
                .put("version", classifier.manifest().version()).put("sha256", sha256);
        this.modelHeader = classifier.manifest().name() + "/" + classifier.manifest().version() + " sha256:" + sha256;
    }

    /** Status and JSON body for one event, and what the request log says about it. */
    public record Outcome(int status, ObjectNode body, PredictRequest.Source source, Facts facts) {
    }

    /**
     * What the request log says besides the status: how the image came, the URL's host (never its path or
     * query), the image's size (-1 before it is known), the classification, the error code.
     */
    public record Facts(PredictRequest.Input input, String host, long bytes, Classification result, String errorCode) {

        static Facts of(PredictRequest request, byte[] image, Classification result, String errorCode) {
            return new Facts(request == null ? null : request.input(), request == null ? null : host(request.url()),
                    image == null ? -1 : image.length, result, errorCode);
        }

        private static String host(String url) {
            if (url == null) {
                return null;
            }
            try {
                return java.net.URI.create(url.strip()).getHost();
            } catch (IllegalArgumentException e) {
                return null; // the fetcher refuses it with its own message
            }
        }
    }

    public Outcome handle(Map<String, Object> event, String requestId) {
        PredictRequest.Source source = EventParser.sourceOf(event);
        PredictRequest request = null;
        byte[] image = null;
        try {
            request = parser.parse(event);
            image = request.url() != null ? fetcher.fetch(request.url()) : request.image();
            Classification result = classifier.classify(image, request.topK());
            return new Outcome(200, body(result, requestId), source, Facts.of(request, image, result, null));
        } catch (UserFacingException e) {
            Facts facts = Facts.of(request, image, null, e.code());
            if (e.fault() == UserFacingException.Fault.SETUP) {
                // The operator's to fix: the caller gets no details of the deployment.
                log(requestId, e);
                return error(status(e), INTERNAL, requestId, source, facts);
            }
            return error(status(e), e.getMessage(), requestId, source, facts);
        } catch (RuntimeException e) {
            log(requestId, e);
            return error(500, INTERNAL, requestId, source, Facts.of(request, image, null, INTERNAL_CODE));
        }
    }

    /** A direct invocation's answer for a payload that cannot be read as an event: 400, a caller's mistake. */
    public Outcome refuse(String message, String requestId) {
        return error(400, message, requestId, PredictRequest.Source.DIRECT,
                Facts.of(null, null, null, RequestException.CODE));
    }

    /** {@code name/version sha256:<prefix>}: which model answered, for a header on every HTTP response. */
    public String modelHeader() {
        return modelHeader;
    }

    /** {@code name/version}, as the request log names the model. */
    public String modelName() {
        return classifier.manifest().name() + "/" + classifier.manifest().version();
    }

    public int classCount() {
        return classifier.labels().size();
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
        body.set("model", model.deepCopy());
        body.putObject("timingsMs").put("decode", result.timings().decodeMillis())
                .put("preprocess", result.timings().preprocessMillis()).put("inference", result.timings().inferenceMillis());
        body.put("requestId", requestId);
        return body;
    }

    private Outcome error(int status, String message, String requestId, PredictRequest.Source source, Facts facts) {
        ObjectNode body = Json.mapper().createObjectNode().put("error", message).put("status", status)
                .put("requestId", requestId);
        body.set("model", model.deepCopy());
        return new Outcome(status, body, source, facts);
    }
}
