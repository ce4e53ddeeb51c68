package dev.clothes.lambda.ric;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.clothes.inference.bundle.Json;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.runtime.tflite.TfliteBundles;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler inside the real AWS Lambda Runtime Interface Client (a child JVM, as in the
 * container image), against a Runtime API this test serves on loopback: next invocation ->
 * handler -> posted response.
 */
class RuntimeInterfaceClientTest {

    @TempDir
    Path tmp;

    @Test
    void handlerAnswersThroughTheLambdaRuntimeProtocol() throws Exception {
        Path shared = Path.of(System.getProperty("shared.dir", "../shared")).toAbsolutePath().normalize();
        Path models = shared.resolve("models/imagenet");
        Path bundle = tmp.resolve("model");
        TfliteBundles.wrap(Files.readAllBytes(models.resolve("mobilenet_v2_1.0_224_quant.tflite")),
                Files.readAllLines(models.resolve("imagenet_labels.txt")), "mobilenet-v2-imagenet", "1", null,
                Postprocessing.PROBABILITIES, null).writeTo(bundle);
        String event = Json.mapper().writeValueAsString(java.util.Map.of(
                "image", Base64.getEncoder().encodeToString(Files.readAllBytes(models.resolve("cat_720p.jpg")))));

        CompletableFuture<String> response = new CompletableFuture<>();
        AtomicInteger nextCalls = new AtomicInteger();
        HttpServer runtimeApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        runtimeApi.createContext("/2018-06-01/runtime/invocation/next", ex -> {
            if (nextCalls.incrementAndGet() > 1) {
                // The client polls forever; the second poll parks until the test ends.
                try {
                    response.get(90, TimeUnit.SECONDS);
                    Thread.sleep(60_000);
                } catch (Exception ignored) {
                    // test over
                }
                return;
            }
            byte[] body = event.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
            ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 60_000));
            ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:eu-west-1:123456789012:function:clothes-classifier");
            ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700");
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        runtimeApi.createContext("/2018-06-01/runtime/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            ex.sendResponseHeaders(202, -1);
            ex.close();
            if (path.endsWith("/response")) {
                response.complete(body);
            } else if (path.endsWith("/error")) {
                response.completeExceptionally(new AssertionError(path + ": " + body));
            }
        });
        runtimeApi.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        runtimeApi.start();

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                "dev.clothes.lambda.handler.PredictHandler::handleRequest");
        pb.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
        pb.environment().put("MODEL_BUNDLE", bundle.toString());
        pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "clothes-classifier");
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("function.log").toFile());
        Process function = pb.start();
        try {
            String answer = response.get(90, TimeUnit.SECONDS);
            JsonNode body = Json.mapper().readTree(answer);
            assertThat(body.get("predictions").get(0).get("label").asText()).isEqualTo("Egyptian cat");
            assertThat(body.get("requestId").asText()).isEqualTo("8476a536-e9f4-11e8-9739-2dfe598c3fcd");
        } catch (Exception | AssertionError e) {
            throw new AssertionError("function log:\n" + Files.readString(tmp.resolve("function.log")), e);
        } finally {
            function.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            runtimeApi.stop(0);
        }
        assertThat(Files.readString(tmp.resolve("function.log"))).contains("\"status\":200");
    }
}
