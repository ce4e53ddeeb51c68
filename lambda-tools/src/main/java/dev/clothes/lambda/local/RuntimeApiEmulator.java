package dev.clothes.lambda.local;

import dev.clothes.cli.ChildJvm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Lambda Runtime API, served on loopback, for the real AWS Lambda Runtime Interface Client: it
 * hands out queued events one at a time ({@code invocation/next}), collects what the function posts
 * back, and answers SnapStart's {@code restore/next} the way Lambda does after a snapshot. Each
 * result carries the handler's time (event handed out to response posted: what Lambda bills).
 */
public final class RuntimeApiEmulator implements AutoCloseable {

    public static final String HANDLER = "dev.clothes.lambda.handler.PredictHandler::handleRequest";
    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String API = "/2018-06-01/runtime/";

    /** An event for the function and the request id Lambda gives it. */
    public record Event(String requestId, String json) {
    }

    /** What the function posted for one event ({@code error} null on success). */
    public record Result(String requestId, String response, String error, double handlerMillis) {
    }

    /** One invocation of a fresh function JVM: the response, the function's log and the time from JVM start. */
    public record Invocation(String requestId, String response, String log, double millisFromStart) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Event> pending = new LinkedBlockingQueue<>();
    private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();
    private final Map<String, Long> handedOutAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean restoreRequested = new AtomicBoolean();
    private final List<String> initErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Duration deadline;

    /** @param deadline each invocation's time budget, as the function's remaining time */
    public RuntimeApiEmulator(Duration deadline) throws IOException {
        this.deadline = deadline;
        server = LoopbackHttpServer.create(0, 0);
        server.createContext(API + "invocation/next", this::next);
        server.createContext(API + "restore/next", ex -> {
            restoreRequested.set(true);
            reply(ex, 200, new byte[0]);
        });
        server.createContext(API, this::posted);
        server.setExecutor(threads);
        server.start();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public void offer(Event event) {
        pending.add(event);
    }

    /** The next result the function posted, or an exception naming what it reported or that it timed out. */
    public Result take(Duration timeout) throws IOException, InterruptedException {
        Result result = results.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (result == null) {
            throw new IOException("no response within " + timeout + (initErrors.isEmpty() ? "" : "; init errors: " + initErrors));
        }
        return result;
    }

    /** Whether the client asked for {@code restore/next}, i.e. it ran the SnapStart checkpoint hooks first. */
    public boolean restoreRequested() {
        return restoreRequested.get();
    }

    private void next(HttpExchange ex) throws IOException {
        Event event;
        try {
            // The client polls again after each answer; the poll waits until there is an event or the end.
            event = null;
            while (event == null && closed.getCount() > 0) {
                event = pending.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            event = null;
        }
        if (event == null) {
            ex.close();
            return;
        }
        handedOutAt.put(event.requestId(), System.nanoTime());
        ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", event.requestId());
        ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                String.valueOf(System.currentTimeMillis() + deadline.toMillis()));
        ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:eu-west-1:123456789012:function:clothes-classifier");
        ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700");
        ex.getResponseHeaders().add("Content-Type", "application/json");
        reply(ex, 200, event.json().getBytes(StandardCharsets.UTF_8));
    }

    private void posted(HttpExchange ex) throws IOException {
        long now = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        reply(ex, 202, new byte[0]);
        if (path.startsWith(API + "init/") || path.startsWith(API + "restore/")) {
            initErrors.add(path + ": " + body);
            results.add(new Result(null, null, path + ": " + body, 0));
            return;
        }
        String[] parts = path.substring((API + "invocation/").length()).split("/");
        String requestId = parts[0];
        Long start = handedOutAt.remove(requestId);
        double millis = start == null ? Double.NaN : (now - start) / 1e6;
        boolean ok = parts.length > 1 && parts[1].equals("response");
        results.add(new Result(requestId, ok ? body : null, ok ? null : path + ": " + body, millis));
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    /**
     * One event through a fresh function JVM running the Runtime Interface Client on {@code classpath}.
     *
     * @param log where the child JVM's output goes
     */
    public static Invocation invoke(Path bundle, String eventJson, String requestId, String classpath, Path log,
                                    Duration timeout) throws IOException, InterruptedException {
        try (RuntimeApiEmulator api = new RuntimeApiEmulator(timeout)) {
            ProcessBuilder pb = new ProcessBuilder(ChildJvm.java(),
                    "-Xmx1g", "-cp", classpath, RIC_MAIN, HANDLER);
            pb.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
            pb.environment().put("MODEL_BUNDLE", bundle.toAbsolutePath().toString());
            pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "clothes-classifier");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            api.offer(new Event(requestId, eventJson));
            long start = System.nanoTime();
            Process function = pb.start();
            try {
                Result result = api.take(timeout);
                double millis = (System.nanoTime() - start) / 1e6;
                if (result.error() != null) {
                    throw new IOException("the function reported an error: " + result.error());
                }
                return new Invocation(requestId, result.response(), Files.readString(log), millis);
            } catch (IOException e) {
                throw new IOException(e.getMessage() + "\nfunction log:\n" + Files.readString(log), e);
            } finally {
                function.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
