package dev.clothes.lambda.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.lambda.handler.PredictHandler;
import dev.clothes.testing.Shared;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The local endpoint over real HTTP on loopback, under concurrent load. */
class LocalServerTest {

    @Test
    void fourClientsTimesOneHundredRequestsWithoutAnError() throws Exception {
        byte[] photo;
        try (var files = Files.list(Shared.dataset().resolve("test/shoes"))) {
            photo = Files.readAllBytes(files.sorted().findFirst().orElseThrow());
        }
        Classifier classifier = new Classifier(TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels(), "mobilenet-v2-imagenet"), ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(1, 2)));
        HttpServer images = LoopbackHttpServer.create(0, 0);
        images.createContext("/shoe.jpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, photo.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(photo);
            }
        });
        images.setExecutor(Executors.newFixedThreadPool(4));
        images.start();
        PredictHandler handler = new PredictHandler(classifier,
                new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(true)));
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (LocalServer server = new LocalServer(handler, 0, 4)) {
            URI predict = URI.create("http://127.0.0.1:" + server.port() + "/predict");
            String url = "{\"url\": \"http://127.0.0.1:" + images.getAddress().getPort() + "/shoe.jpg\"}";
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(predict)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            String expectedTop = Json.mapper().readTree(first.body()).get("predictions").get(0).get("label").asText();
            assertThat(first.headers().firstValue("X-Request-Id")).isPresent();

            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int clientId = c;
                results.add(clients.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 100; i++) {
                        HttpRequest request = (i + clientId) % 2 == 0
                                ? HttpRequest.newBuilder(predict).header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(url)).build()
                                : HttpRequest.newBuilder(predict).header("Content-Type", "image/jpeg")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build();
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        JsonNode body = Json.mapper().readTree(r.body());
                        if (r.statusCode() == 200
                                && body.get("predictions").get(0).get("label").asText().equals(expectedTop)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(100);
            }

            HttpResponse<String> get = client.send(HttpRequest.newBuilder(predict).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            HttpResponse<String> tooLarge = client.send(HttpRequest.newBuilder(predict)
                    .header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LocalServer.MAX_BODY + 10])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooLarge.statusCode()).isEqualTo(413);
        } finally {
            clients.shutdownNow();
            images.stop(0);
            classifier.close();
        }
    }

    @Test
    void theApiKeyHeaderIsOptionalUnlessTheServerAsksForOne() throws Exception {
        byte[] photo;
        try (var files = Files.list(Shared.dataset().resolve("test/shoes"))) {
            photo = Files.readAllBytes(files.sorted().findFirst().orElseThrow());
        }
        Classifier classifier = new Classifier(TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels(),
                "mobilenet-v2-imagenet"), ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(1, 2)));
        PredictHandler handler = new PredictHandler(classifier,
                new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(false)));
        HttpClient client = HttpClient.newHttpClient();
        try (classifier; LocalServer open = new LocalServer(handler, 0, 1);
             LocalServer keyed = new LocalServer(handler, 0, 1, "local-dev-key")) {
            assertThat(post(client, open, photo, "any-key").statusCode()).as("the header is accepted").isEqualTo(200);
            assertThat(post(client, open, photo, null).statusCode()).as("and optional").isEqualTo(200);
            HttpResponse<String> none = post(client, keyed, photo, null);
            assertThat(none.statusCode()).isEqualTo(403);
            assertThat(none.body()).isEqualTo("{\"message\": \"Forbidden\"}");
            assertThat(post(client, keyed, photo, "wrong-key").statusCode()).isEqualTo(403);
            HttpResponse<String> ok = post(client, keyed, photo, "local-dev-key");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-Model")).hasValueSatisfying(v -> assertThat(v)
                    .matches("mobilenet-v2-imagenet/1 sha256:[0-9a-f]{12}"));
        }
    }

    private static HttpResponse<String> post(HttpClient client, LocalServer server, byte[] photo, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/predict"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(photo));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
