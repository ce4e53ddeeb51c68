package dev.clothes.quality.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.HostResolver;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.lambda.handler.PredictHandler;
import dev.clothes.testing.Shared;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole bad-input corpus through the real handler (the Lambda's address policy, the stock
 * MobileNetV2): every kind gets its expected status and message, nothing escapes as an exception, no
 * 5xx; and after repeated passes the heap and JavaCPP's native memory are back at their baseline.
 */
class BadInputCorpusTest {

    /** Names are resolved by a stand-in: IP literals as the JDK does, *.localhost to loopback, nothing else. */
    private static final HostResolver RESOLVER = host -> {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }
        if (host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return InetAddress.getAllByName(host);
        }
        throw new UnknownHostException(host);
    };

    private record Answer(BadInputCorpus.Case kind, int status, String message, Throwable escaped) {
    }

    @Test
    void everyKindIsAnsweredAndMemoryReturnsToBaseline() throws Exception {
        List<BadInputCorpus.Case> corpus = BadInputCorpus.cases();
        long badKinds = corpus.stream().filter(c -> c.status() != 200).count();
        assertThat(badKinds).as("kinds of bad input").isGreaterThanOrEqualTo(50);

        try (Classifier classifier = new Classifier(TfliteBundles.wrap(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"), Shared.imagenetLabels()), ClassifierOptions.DEFAULT)) {
            PredictHandler handler = new PredictHandler(classifier, new ImageFetcher(FetchLimits.DEFAULT,
                    new PublicAddressPolicy(false), RESOLVER, (SSLSocketFactory) SSLSocketFactory.getDefault()));
            List<Answer> answers = run(handler, corpus);
            write(answers);
            List<String> wrong = new ArrayList<>();
            for (Answer a : answers) {
                if (a.escaped() != null || a.status() != a.kind().status() || !a.message().contains(a.kind().message())) {
                    wrong.add(String.format(Locale.ROOT, "%s: expected %d '%s', got %d '%s'%s", a.kind().kind(),
                            a.kind().status(), a.kind().message(), a.status(), abbreviate(a.message()),
                            a.escaped() == null ? "" : " and an escaped " + a.escaped()));
                }
            }
            assertThat(wrong).as("kinds answered wrongly").isEmpty();
            assertThat(answers).noneMatch(a -> a.status() >= 500);

            // Four passes warm up class loading, the JIT's code cache, the interpreter pool and malloc's arenas; after
            // that, six more passes must not grow the heap, JavaCPP's native memory or the rest of the process.
            for (int pass = 0; pass < 3; pass++) {
                run(handler, corpus);
            }
            Memory baseline = Memory.now();
            for (int pass = 0; pass < 6; pass++) {
                run(handler, corpus);
            }
            Memory after = Memory.now();
            System.out.printf(Locale.ROOT, "bad-input corpus, %d kinds, 6 passes: heap used %,d -> %,d bytes, JavaCPP "
                            + "native %,d -> %,d bytes, RSS outside the (pre-touched) heap %,d -> %,d bytes%n",
                    corpus.size(), baseline.heap(), after.heap(), baseline.nativeBytes(), after.nativeBytes(),
                    baseline.outsideHeap(), after.outsideHeap());
            assertThat(after.heap()).as("heap used").isLessThan(baseline.heap() + (4L << 20));
            assertThat(after.nativeBytes()).as("JavaCPP native bytes").isLessThanOrEqualTo(baseline.nativeBytes() + (1L << 20));
            // Process RSS is a coarse gauge (malloc keeps freed pages, the JIT keeps compiling): a per-request
            // native leak of even 80 kB over these 606 requests would pass this bound, not one of 100 kB.
            assertThat(after.outsideHeap()).as("RSS outside the heap").isLessThan(baseline.outsideHeap() + (48L << 20));
        }
    }

    private static List<Answer> run(PredictHandler handler, List<BadInputCorpus.Case> corpus) throws Exception {
        List<Answer> answers = new ArrayList<>();
        for (BadInputCorpus.Case c : corpus) {
            try {
                Map<String, Object> response = handler.handleRequest(c.event(), null);
                if (response.containsKey("statusCode")) {
                    JsonNode body = Json.mapper().readTree((String) response.get("body"));
                    answers.add(new Answer(c, (Integer) response.get("statusCode"), body.path("error").asText(""), null));
                } else {
                    int status = response.containsKey("error") ? (Integer) response.get("status") : 200;
                    answers.add(new Answer(c, status, String.valueOf(response.getOrDefault("error", "")), null));
                }
            } catch (Throwable t) {
                answers.add(new Answer(c, -1, "", t));
            }
        }
        return answers;
    }

    private static void write(List<Answer> answers) throws Exception {
        StringBuilder md = new StringBuilder("| kind | status | message |\n|---|---|---|\n");
        for (Answer a : answers) {
            md.append("| ").append(a.kind().kind()).append(" | ").append(a.status()).append(" | ")
                    .append(abbreviate(a.message()).replace("|", "\\|")).append(" |\n");
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/bad-input-corpus-answers.md"), md);
    }

    private static String abbreviate(String s) {
        return s.length() <= 140 ? s : s.substring(0, 140) + "...";
    }

    /** @param outsideHeap process RSS minus the committed heap (pre-touched in this module, see its pom) */
    private record Memory(long heap, long nativeBytes, long outsideHeap) {
        static Memory now() throws InterruptedException {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            return new Memory(memory.getHeapMemoryUsage().getUsed(), Pointer.totalBytes(),
                    Pointer.physicalBytes() - memory.getHeapMemoryUsage().getCommitted());
        }
    }
}
