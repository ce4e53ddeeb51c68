package dev.clothes.lambda.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.bundle.Json;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures the function as it is deployed, through its local endpoint in a child JVM started
 * from the function jar: time from JVM start to the first answered request, warm end-to-end
 * latency against the model-only latency the response reports, and RSS after 100 and 10,000
 * requests. Usage: {@code java -cp lambda-adapter/target/lambda-adapter-*-function.jar
 * dev.clothes.lambda.local.LambdaBench BUNDLE IMAGE [REPORT.md]}
 */
public final class LambdaBench {

    private LambdaBench() {
    }

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        byte[] image = Files.readAllBytes(Path.of(args[1]));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long spawned = System.nanoTime();
        Process server = new ProcessBuilder(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ServeCommand.class.getName(), bundle.toString(),
                "--port", String.valueOf(port)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        try {
            double firstAnswer = -1;
            while (firstAnswer < 0) {
                try {
                    if (client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        firstAnswer = (System.nanoTime() - spawned) / 1e6;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(5);
                }
                if ((System.nanoTime() - spawned) / 1e9 > 60) {
                    throw new IllegalStateException("the server did not answer within 60 s");
                }
            }
            double[] endToEnd = new double[500];
            double[] model = new double[500];
            for (int i = 0; i < 99; i++) {
                client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            long rss100 = rssKb(server.pid());
            for (int i = 0; i < endToEnd.length; i++) {
                long t = System.nanoTime();
                JsonNode body = Json.mapper().readTree(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
                endToEnd[i] = (System.nanoTime() - t) / 1e6;
                model[i] = body.get("timingsMs").get("inference").asDouble();
            }
            int errors = 0;
            for (int i = 600; i < 10_000; i++) { // the rest of the 10,000
                errors += client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200 ? 0 : 1;
            }
            long rss10k = rssKb(server.pid());
            Arrays.sort(endToEnd);
            Arrays.sort(model);
            String table = String.format(Locale.ROOT, """
                    # Lambda function benchmark (local endpoint, child JVM from the function jar)

                    - date: %s
                    - bundle: %s
                    - image: %s (%,d bytes), 10,000 requests, one client

                    | figure | value |
                    |---|---|
                    | JVM start to first answered request | %.0f ms |
                    | warm end to end (HTTP + decode + preprocess + inference), median | %.1f ms |
                    | model only (inference), median | %.1f ms |
                    | end to end / model only | %.2f |
                    | RSS after 100 requests | %,d kB |
                    | RSS after 10,000 requests | %,d kB (%+.1f %%) |
                    | errors in 10,000 requests | %d |
                    """, Instant.now(), bundle, Path.of(args[1]).getFileName(), image.length, firstAnswer,
                    endToEnd[endToEnd.length / 2], model[model.length / 2],
                    endToEnd[endToEnd.length / 2] / model[model.length / 2], rss100, rss10k,
                    100.0 * (rss10k - rss100) / rss100, errors);
            System.out.println(table);
            if (args.length > 2) {
                Files.writeString(Path.of(args[2]), table);
            }
        } finally {
            server.destroy();
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
