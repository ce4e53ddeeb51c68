package dev.clothes.lambda.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.cli.ChildJvm;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.stats.Percentiles;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the function as it is deployed, through its local endpoint in a child JVM: time from JVM
 * start to the first answered request; warm end-to-end latency (one client) against the model-only
 * latency the response reports; then a soak at a given concurrency with throughput, p50/p95/p99,
 * errors and the server's RSS at the start, middle and end. The benchmarks module's {@code endpoint}
 * command runs it; walkthrough 3 quotes it.
 */
public final class EndpointLoad {

    private static final int WARM_UP = 100;

    /** Every figure of one run. Latencies in milliseconds, RSS in kB. */
    public record Figures(String bundle, String image, int imageBytes, double firstAnswerMillis,
                          double warmEndToEndMillis, double warmModelMillis, int requests, int concurrency,
                          double soakSeconds, double soakPerSecond, double p50, double p95, double p99, int errors,
                          long rssStartKb, long rssMiddleKb, long rssEndKb) {

        public String markdown() {
            return String.format(Locale.ROOT, """
                    # Lambda function benchmark (local endpoint, child JVM)

                    - date: %s
                    - bundle: %s
                    - image: %s (%,d bytes); %,d requests in all: %d warm-up and %d timed one at a time, \
                    then the rest at concurrency %d
                    - server JVM: -Xms384m -Xmx384m -XX:+AlwaysPreTouch -XX:TieredStopAtLevel=1 (a fixed heap, so RSS \
                    changes are native memory)

                    | figure | value |
                    |---|---|
                    | JVM start to first answered request | %.0f ms |
                    | warm end to end, one client (HTTP + decode + preprocess + inference), median | %.1f ms |
                    | model only (inference), median | %.1f ms |
                    | end to end / model only | %.2f |
                    | soak: %,d requests at concurrency %d | %.1f s, %.0f requests/s |
                    | soak latency p50 / p95 / p99 | %.1f / %.1f / %.1f ms |
                    | errors (non-200 or failed requests), all phases | %d |
                    | server RSS at soak start / middle / end | %,d / %,d / %,d kB |
                    | RSS growth, first half of the soak (1 client becomes %d: threads, buffers, malloc arenas) | %+.1f %% |
                    | RSS drift, second half of the soak | %+.1f %% |
                    """, Instant.now(), bundle, image, imageBytes, requests, WARM_UP, timedCount(requests),
                    concurrency, firstAnswerMillis, warmEndToEndMillis, warmModelMillis,
                    warmEndToEndMillis / warmModelMillis, soakCount(requests), concurrency, soakSeconds,
                    soakPerSecond, p50, p95, p99, errors, rssStartKb, rssMiddleKb, rssEndKb, concurrency,
                    100.0 * (rssMiddleKb - rssStartKb) / rssStartKb, 100.0 * (rssEndKb - rssMiddleKb) / rssMiddleKb);
        }
    }

    private EndpointLoad() {
    }

    /** @param classpath the function's classpath, for the child JVM */
    public static Figures measure(Path bundle, Path imageFile, int requests, int concurrency, String classpath)
            throws IOException, InterruptedException {
        if (requests < WARM_UP + 20 || concurrency < 1) {
            throw new IllegalArgumentException("need at least " + (WARM_UP + 20) + " requests and concurrency >= 1");
        }
        byte[] image = Files.readAllBytes(imageFile);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = ChildJvm.java();
        long spawned = System.nanoTime();
        // A fixed, pre-touched heap: the server's RSS then moves only with native memory, which is what a
        // leak check wants to see (a growing heap is just the collector using the room it was given).
        Process server = new ProcessBuilder(java, "-Xms384m", "-Xmx384m", "-XX:+AlwaysPreTouch",
                "-XX:TieredStopAtLevel=1", "-cp", classpath,
                ServeCommand.class.getName(), bundle.toString(), "--port", String.valueOf(port),
                "--threads", String.valueOf(Math.max(concurrency, 4)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        try {
            double firstAnswer = firstAnswer(client, request, server, spawned);
            AtomicInteger errors = new AtomicInteger();
            for (int i = 1; i < WARM_UP; i++) {
                send(client, request, errors);
            }
            double[] endToEnd = new double[timedCount(requests)];
            double[] model = new double[endToEnd.length];
            for (int i = 0; i < endToEnd.length; i++) {
                long t = System.nanoTime();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                endToEnd[i] = (System.nanoTime() - t) / 1e6;
                JsonNode body = Json.mapper().readTree(response.body());
                model[i] = body.path("timingsMs").path("inference").asDouble(Double.NaN);
                if (response.statusCode() != 200) {
                    errors.incrementAndGet();
                }
            }

            int soak = soakCount(requests);
            long rssStart = rssKb(server.pid());
            AtomicLong rssMiddle = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            double[] latencies = new double[soak];
            ExecutorService clients = Executors.newFixedThreadPool(concurrency);
            long soakStart = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < soak; ) {
                        if (i == soak / 2) {
                            rssMiddle.set(rssKb(server.pid()));
                        }
                        long t = System.nanoTime();
                        send(client, request, errors);
                        latencies[i] = (System.nanoTime() - t) / 1e6;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double soakSeconds = (System.nanoTime() - soakStart) / 1e9;
            clients.shutdown();
            long rssEnd = rssKb(server.pid());
            Percentiles soakLatency = Percentiles.of(latencies);
            return new Figures(bundle.toString(), imageFile.getFileName().toString(), image.length, firstAnswer,
                    Percentiles.of(endToEnd).median(), Percentiles.of(model).median(), requests, concurrency,
                    soakSeconds, soak / soakSeconds, soakLatency.at(0.50), soakLatency.at(0.95), soakLatency.at(0.99),
                    errors.get(),
                    rssStart, rssMiddle.get(), rssEnd);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("a benchmark client failed: " + e.getCause(), e.getCause());
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static int timedCount(int requests) {
        return Math.min(500, (requests - WARM_UP) / 4);
    }

    private static int soakCount(int requests) {
        return requests - WARM_UP - timedCount(requests);
    }

    private static double firstAnswer(HttpClient client, HttpRequest request, Process server, long spawned)
            throws InterruptedException {
        while (true) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return (System.nanoTime() - spawned) / 1e6;
                }
            } catch (IOException notYet) {
                Thread.sleep(5);
            }
            if (!server.isAlive() || (System.nanoTime() - spawned) / 1e9 > 60) {
                throw new IllegalStateException("the local endpoint did not answer within 60 s");
            }
        }
    }

    private static void send(HttpClient client, HttpRequest request, AtomicInteger errors) {
        try {
            if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                errors.incrementAndGet();
            }
        } catch (IOException e) {
            errors.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.incrementAndGet();
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }
}
