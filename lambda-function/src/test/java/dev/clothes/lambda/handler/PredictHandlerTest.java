package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.tflite.TfliteBundles;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * URL requests against real HTTP on loopback, and the SnapStart hooks; the real classifier (stock MobileNetV2
 * bundle). No Lambda context here, as in local runs; event-in, response-out cases are fixtures, run by
 * {@link PredictHandlerFixturesTest}.
 */
class PredictHandlerTest {

    private static Classifier classifier;
    private static HttpServer server;
    private static String base;
    private static byte[] cat;

    private static Path shared() {
        return Path.of(System.getProperty("shared.dir", "../shared")).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void setUp() throws Exception {
        Path models = shared().resolve("models/imagenet");
        classifier = new Classifier(TfliteBundles.wrap(Files.readAllBytes(models.resolve("mobilenet_v2_1.0_224_quant.tflite")),
                Files.readAllLines(models.resolve("imagenet_labels.txt")), "mobilenet-v2-imagenet", "1", null,
                Postprocessing.PROBABILITIES, null), ClassifierOptions.DEFAULT);
        cat = Files.readAllBytes(models.resolve("cat_720p.jpg"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cat.jpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, cat.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(cat);
            }
        });
        server.createContext("/missing.jpg", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.createContext("/broken.jpg", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.createContext("/slow.jpg", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void tearDown() {
        server.stop(0);
        classifier.close();
    }

    /** Generous limits: a loaded machine must not turn a loopback fetch into a timeout. */
    private static PredictHandler handler(boolean allowLoopback) {
        return handler(allowLoopback, Duration.ofSeconds(10));
    }

    private static PredictHandler handler(boolean allowLoopback, Duration timeout) {
        return new PredictHandler(classifier, new ImageFetcher(new FetchLimits(timeout, timeout, 10L << 20, 3, false),
                new PublicAddressPolicy(allowLoopback)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(String fixture, String body) throws Exception {
        Map<String, Object> event;
        try (InputStream in = PredictHandlerTest.class.getResourceAsStream("/events/" + fixture)) {
            event = Json.mapper().readValue(in, Map.class);
        }
        event.put("body", body);
        return event;
    }

    private static JsonNode body(Map<String, Object> response) throws Exception {
        return Json.mapper().readTree((String) response.get("body"));
    }

    @Test
    void restEventWithJsonUrl() throws Exception {
        Map<String, Object> response = handler(true).handleRequest(
                event("rest-v1.json", "{\"url\": \"" + base + "/cat.jpg\"}"), null);
        assertThat(response.get("statusCode")).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.get("predictions").get(0).get("label").asText()).isEqualTo("Egyptian cat");
        assertThat(body.get("predictions")).hasSize(5);
        // ImageNet's label file repeats a few names ("crane", "maillot"): the flat map has one key per name.
        assertThat(body.get("scores")).hasSize((int) classifier.labels().stream().distinct().count());
        assertThat(body.get("scores").get("Egyptian cat").asDouble()).isGreaterThan(0.7);
        assertThat(body.get("model").get("name").asText()).isEqualTo("mobilenet-v2-imagenet");
        // No Lambda context: the id comes from API Gateway's requestContext.
        assertThat(body.get("requestId").asText()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    }

    @Test
    void directInvocationWithTheReferencePayload() {
        Map<String, Object> response = handler(true).handleRequest(Map.of("url", base + "/cat.jpg"), null);
        assertThat(response).doesNotContainKey("statusCode").containsKey("predictions");
        assertThat(((Map<?, ?>) response.get("scores")).get("Egyptian cat")).isInstanceOf(Number.class);
        // Without a Lambda context or API Gateway there is no id to reuse: a fresh one per request.
        assertThat(JsonFixture.differences(Json.mapper().valueToTree("local-<uuid>"),
                Json.mapper().valueToTree(response.get("requestId")))).isEmpty();
    }

    @Test
    void theRuntimesStreamEntryAnswersAsTheEventEntryInOneLine() throws Exception {
        PredictHandler h = handler(true);
        Map<String, Object> event = event("rest-v1.json", "{\"url\": \"" + base + "/cat.jpg\"}");
        String answer = stream(h, Json.mapper().writeValueAsString(event));
        assertThat(answer).doesNotContain("\n");
        JsonNode response = Json.mapper().readTree(answer);
        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        Map<String, Object> direct = h.handleRequest(event, null);
        assertThat(response.get("headers").toString()).isEqualTo(Json.mapper().valueToTree(direct.get("headers")).toString());
        JsonNode streamed = Json.mapper().readTree(response.get("body").asText());
        assertThat(streamed.get("predictions")).isEqualTo(body(direct).get("predictions"));
        assertThat(streamed.get("scores")).isEqualTo(body(direct).get("scores"));

        // A direct invocation: the body itself, the same as the map entry gives.
        JsonNode directAnswer = Json.mapper().readTree(stream(h, "{\"url\": \"" + base + "/cat.jpg\"}"));
        assertThat(directAnswer.has("statusCode")).isFalse();
        // As text: the map holds the scores as doubles, the tree as the floats they are; both print the same.
        assertThat(directAnswer.get("predictions").toString()).isEqualTo(Json.mapper().valueToTree(
                h.handleRequest(Map.of("url", base + "/cat.jpg"), null).get("predictions")).toString());

        for (String payload : new String[] {"[1, 2]", "\"cat.jpg\"", "null", "{\"url\": "}) {
            JsonNode refused = Json.mapper().readTree(stream(h, payload));
            assertThat(refused.get("status").asInt()).as(payload).isEqualTo(400);
            assertThat(refused.get("error").asText()).as(payload).startsWith("the event is not a JSON object");
        }
    }

    private static String stream(PredictHandler handler, String payload) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        handler.handleRequest(new java.io.ByteArrayInputStream(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                out, null);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void refusedAndFailingUrls() throws Exception {
        PredictHandler strict = handler(false);
        for (String url : new String[] {base + "/cat.jpg", "http://10.0.0.1/x.jpg", "http://169.254.169.254/latest",
            "http://[::1]/x.jpg", "http://localhost/x.jpg"}) {
            assertError(strict.handleRequest(event("rest-v1.json", "{\"url\": \"" + url + "\"}"), null),
                    422, "refused");
        }
        PredictHandler local = handler(true);
        assertError(local.handleRequest(event("rest-v1.json", "{\"url\": \"" + base + "/missing.jpg\"}"),
                null), 502, "HTTP 404");
        // slow.jpg answers after 3 s: a 1 s budget runs out first.
        assertError(handler(true, Duration.ofSeconds(1)).handleRequest(
                event("rest-v1.json", "{\"url\": \"" + base + "/slow.jpg\"}"), null), 504, "");
    }

    @Test
    void snapStartHooksPrimeAndRestoreAWorkingHandler() throws Exception {
        PredictHandler h = handler(true);
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(log, true));
        try {
            h.beforeCheckpoint(null);
        } finally {
            System.setOut(original);
        }
        h.afterRestore(null);
        Map<String, Object> response = h.handleRequest(
                event("rest-v1.json", "{\"url\": \"" + base + "/cat.jpg\"}"), null);
        assertThat(response.get("statusCode")).isEqualTo(200);
        assertThat(body(response).get("predictions").get(0).get("label").asText()).isEqualTo("Egyptian cat");
    }

    /**
     * 5xx answers log one line each, like any other: ERROR level, the status, the error code, the URL's host
     * but not its path or signed query. A failing image server is a 502 ({@code fetch.bad-response}); a bug
     * (here a name resolver that throws) a 500 ({@code internal.error}), whose stack trace goes to stderr only.
     */
    @Test
    void serverErrorsLogOneLineWithTheirCodeAndNoQuery() throws Exception {
        String signed = base + "/broken.jpg?X-Amz-Signature=feedc0ffee0123&token=s3cr3t-t0ken";
        Map<String, Object> event = event("rest-v1.json", "{\"url\": \"" + signed + "\"}");
        Logged upstream = logged(handler(true), event);
        assertThat(upstream.response().get("statusCode")).isEqualTo(502);
        assertThat(upstream.line().path("errorCode").asText()).isEqualTo("fetch.bad-response");
        assertThat(upstream.line().path("host").asText()).isEqualTo("127.0.0.1");
        RequestLogLines.check("upstream-502", upstream.line(), event, 502, body(upstream.response()), false);

        PredictHandler buggy = new PredictHandler(classifier, new ImageFetcher(new FetchLimits(Duration.ofSeconds(1),
                Duration.ofSeconds(1), 10L << 20, 3, false), new PublicAddressPolicy(true), host -> {
                    throw new IllegalStateException("a resolver bug");
                }, null));
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream originalErr = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        Logged bug;
        try {
            bug = logged(buggy, event);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(bug.response().get("statusCode")).isEqualTo(500);
        assertThat(body(bug.response()).get("error").asText()).isEqualTo("internal error");
        assertThat(bug.line().path("errorCode").asText()).isEqualTo("internal.error");
        RequestLogLines.check("bug-500", bug.line(), event, 500, body(bug.response()), false);
        assertThat(stderr.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("a resolver bug")
                .contains("\"level\":\"ERROR\"").doesNotContain("s3cr3t");
    }

    private record Logged(Map<String, Object> response, JsonNode line) {
    }

    /** The response, and the one line the handler wrote to stdout for it. */
    private static Logged logged(PredictHandler handler, Map<String, Object> event) throws Exception {
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> response;
        try {
            response = handler.handleRequest(event, new TestLambdaContext());
        } finally {
            System.setOut(original);
        }
        List<String> lines = stdout.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        return new Logged(response, Json.mapper().readTree(lines.get(0)));
    }

    private static void assertError(Map<String, Object> response, int status, String message) throws Exception {
        assertThat(response.get("statusCode")).isEqualTo(status);
        JsonNode body = body(response);
        assertThat(body.get("error").asText()).contains(message).doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(body.get("requestId").asText()).isNotBlank();
        assertThat(((Map<?, ?>) response.get("headers")).get("X-Request-Id")).isEqualTo(body.get("requestId").asText());
    }
}
