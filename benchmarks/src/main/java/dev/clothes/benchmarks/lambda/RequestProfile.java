package dev.clothes.benchmarks.lambda;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.stats.Percentiles;
import dev.clothes.lambda.handler.PredictHandler;
import dev.clothes.lambda.local.RestEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The request path under the JDK's Flight Recorder: API Gateway REST events carrying a JPEG (base64,
 * as API Gateway delivers a binary body) go through {@link PredictHandler} one after another, and the
 * Java execution samples are summed by method: where the time goes with the top frame (self) and
 * anywhere on the stack (total). Native frames (the model) are sampled separately by JFR and left out:
 * this looks at what the Java side of a request costs. Run by the {@code request-profile} benchmark.
 */
@Command(name = "request-profile", mixinStandardHelpOptions = true, description = "The handler under Java Flight Recorder: where a warm request spends its time, top frames.")
public final class RequestProfile implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "the bundle to serve")
    Path bundle;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "the photo every request sends")
    Path image;

    @Parameters(index = "2", paramLabel = "OUT.txt", description = "where the profile goes")
    Path out;

    @Parameters(index = "3", paramLabel = "REQUESTS", description = "requests profiled (default: ${DEFAULT-VALUE})", arity = "0..1", defaultValue = "2000")
    int requests;


    private static final int TOP = 30;

    @Override
    public Integer call() throws Exception {
        String body = Base64.getEncoder().encodeToString(Files.readAllBytes(image));
        Path jfr = Files.createTempFile("request-profile", ".jfr");
        double[] ms = new double[requests];
        try (Classifier classifier = Classifier.open(bundle, ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(2, 1)))) {
            PredictHandler handler = new PredictHandler(classifier,
                    new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(false)));
            for (int i = 0; i < 200; i++) {
                handler.handleRequest(event(body), null);
            }
            try (Recording recording = new Recording()) {
                recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
                recording.start();
                for (int i = 0; i < requests; i++) {
                    long s = System.nanoTime();
                    handler.handleRequest(event(body), null);
                    ms[i] = (System.nanoTime() - s) / 1e6;
                }
                recording.stop();
                recording.dump(jfr);
            }
        }
        String report = summary(jfr, bundle, image, requests, Percentiles.of(ms));
        Files.delete(jfr);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.print(report);
        return 0;
    }

    private static Map<String, Object> event(String base64Jpeg) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("Content-Type", "image/jpeg");
        return RestEvent.predict(headers, null, base64Jpeg, true, UUID.randomUUID().toString(), "Prod");
    }

    private static String summary(Path jfr, Path bundle, Path image, int requests, Percentiles latency)
            throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            RecordedStackTrace stack = e.getStackTrace();
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || stack == null
                    || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame f : frames) {
                if (seen.add(name(f))) {
                    total.merge(name(f), 1, Integer::sum);
                }
            }
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "# request path profile (JFR execution samples, 1 ms period)%n%n- date: %s%n- bundle: %s%n"
                        + "- image: %s, %d requests through PredictHandler as REST events (base64 body)%n"
                        + "- handler latency: median %.2f ms, p95 %.2f ms%n- Java samples: %d%n",
                Instant.now(), bundle.getFileName(), image.getFileName(), requests, latency.median(),
                latency.at(0.95), samples));
        table(s, "top frames, self", self, samples);
        table(s, "top frames, total (anywhere on the stack)", total, samples);
        return s.toString();
    }

    private static void table(StringBuilder s, String title, Map<String, Integer> counts, int samples) {
        s.append(String.format(Locale.ROOT, "%n## %s%n%n  samples      %%  method%n", title));
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((method, n) -> s.append(String.format(Locale.ROOT, "%9d %6.1f  %s%n", n,
                100.0 * n / Math.max(1, samples), method)));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
