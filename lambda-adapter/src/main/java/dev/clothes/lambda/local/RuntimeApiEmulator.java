package dev.clothes.lambda.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One invocation through the protocol Lambda really speaks: a Runtime API served on loopback hands one
 * event to the real AWS Lambda Runtime Interface Client (a child JVM, as in the container image), which
 * runs the handler and posts the response back.
 */
public final class RuntimeApiEmulator {

    public static final String HANDLER = "dev.clothes.lambda.handler.PredictHandler::handleRequest";
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** What the function posted, its request id and log, and the time from JVM start to the posted response. */
    public record Invocation(String requestId, String response, String log, double millisFromStart) {
    }

    private RuntimeApiEmulator() {
    }

    /**
     * @param classpath the function's classpath (the function jar, or the build's classpath)
     * @param log       where the child JVM's output goes
     */
    public static Invocation invoke(Path bundle, String eventJson, String requestId, String classpath, Path log,
                                    Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<String> response = new CompletableFuture<>();
        AtomicBoolean handedOut = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/2018-06-01/runtime/invocation/next", ex -> {
            if (handedOut.getAndSet(true)) {
                // The client polls again after answering; park that poll until the function is stopped.
                await(finished);
                ex.close();
                return;
            }
            byte[] body = eventJson.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", requestId);
            ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                    String.valueOf(System.currentTimeMillis() + timeout.toMillis()));
            ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:eu-west-1:123456789012:function:clothes-classifier");
            ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700");
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        api.createContext("/2018-06-01/runtime/", ex -> {
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
                response.completeExceptionally(new IOException("the function reported an error on " + path + ": " + body));
            }
        });
        ExecutorService threads = Executors.newCachedThreadPool();
        api.setExecutor(threads);
        api.start();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classpath, RIC_MAIN, HANDLER);
        pb.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.getAddress().getPort());
        pb.environment().put("MODEL_BUNDLE", bundle.toAbsolutePath().toString());
        pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "clothes-classifier");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process function = pb.start();
        String body;
        double millis;
        try {
            body = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            millis = (System.nanoTime() - start) / 1e6;
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage() + "\nfunction log:\n" + Files.readString(log), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no response within " + timeout + "\nfunction log:\n" + Files.readString(log), e);
        } finally {
            function.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            finished.countDown();
            api.stop(0);
            threads.shutdownNow();
        }
        return new Invocation(requestId, body, Files.readString(log), millis);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
