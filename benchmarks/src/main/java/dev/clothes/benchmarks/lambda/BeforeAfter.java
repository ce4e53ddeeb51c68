package dev.clothes.benchmarks.lambda;

import dev.clothes.lambda.deploy.CfnTemplate;
import dev.clothes.lambda.deploy.FunctionPackager;
import dev.clothes.lambda.local.LambdaSandbox;
import dev.clothes.lambda.local.RuntimeApiEmulator;
import dev.clothes.inference.stats.Percentiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link FunctionBench}'s {@code --before-lib} mode: the same bundle packaged with an earlier build of the
 * function and with this one, measured in one run in the Lambda-like sandbox. Cold starts (JVM start to the
 * first answered event, no SnapStart) alternate between the two, which goes first alternating by round; then
 * both functions run at once (after SnapStart's priming and restore) and the warm invocations alternate one by
 * one, so each "after" duration has a "before" neighbour measured under the same load: the median of the
 * per-pair differences is the cost of what changed. Writes {@code function-bench-before-after.md}.
 */
final class BeforeAfter {

    private BeforeAfter() {
    }

    static void run(FunctionBench.Options o) throws Exception {
        CfnTemplate template = CfnTemplate.parse(o.template.toString(), Files.readString(o.template));
        LambdaSandbox.FunctionConfig after = LambdaSandbox.FunctionConfig.fromTemplate(template, 512);
        // The earlier build was deployed without LoggingConfig: Lambda's text log format.
        Map<String, String> textEnvironment = new TreeMap<>(after.environment());
        textEnvironment.remove("AWS_LAMBDA_LOG_FORMAT");
        textEnvironment.remove("AWS_LAMBDA_LOG_LEVEL");
        LambdaSandbox.FunctionConfig before = new LambdaSandbox.FunctionConfig(after.memoryMb(), after.tmpMb(),
                after.javaToolOptions(), textEnvironment);
        String loadAtStart = loadAverage();
        Path reports = Files.createDirectories(o.reports);
        Path work = Files.createTempDirectory(Path.of(System.getProperty("user.dir")).toAbsolutePath(), "before-after");
        try {
            LambdaSandbox beforeBox = sandbox(o.beforeLib, o.bundle, work.resolve("before"));
            LambdaSandbox afterBox = sandbox(o.lib, o.bundle, work.resolve("after"));
            String event = FunctionBench.event(o.image);

            List<Double> coldBefore = new ArrayList<>();
            List<Double> coldAfter = new ArrayList<>();
            for (int round = 0; round < o.rounds; round++) {
                boolean beforeFirst = round % 2 == 0;
                for (int turn = 0; turn < 2; turn++) {
                    boolean isBefore = (turn == 0) == beforeFirst;
                    FunctionBench.ColdStart cold = FunctionBench.coldStart(isBefore ? beforeBox : afterBox,
                            isBefore ? before : after, isBefore ? "before" : "after", event, work);
                    (isBefore ? coldBefore : coldAfter).add(cold.millis());
                    System.out.printf(Locale.ROOT, "cold start %d/%d %s: %.0f ms%n", round + 1, o.rounds,
                            isBefore ? "before" : "after", cold.millis());
                }
            }
            Warm warm = warm(beforeBox, before, afterBox, after, event, o.requests, work);
            String report = report(o, before, after, coldBefore, coldAfter, warm, loadAtStart, loadAverage());
            Files.writeString(reports.resolve("function-bench-before-after.md"), report);
            System.out.println(report);
        } finally {
            FunctionBench.deleteTree(work);
        }
    }

    private static LambdaSandbox sandbox(Path lib, Path bundle, Path dir) throws IOException {
        FunctionPackager.write(lib, bundle, FunctionPackager.Arch.X86_64, FunctionPackager.Natives.PRE_EXTRACTED,
                dir.resolve("task"), dir.resolve("function.zip"));
        return LambdaSandbox.prepare(dir.resolve("task"), dir);
    }

    record Warm(double[] before, double[] after, String beforeLine, String afterLine) {
    }

    /** Both functions up at once; invocations alternate between them, which goes first alternating too. */
    private static Warm warm(LambdaSandbox beforeBox, LambdaSandbox.FunctionConfig before, LambdaSandbox afterBox,
                             LambdaSandbox.FunctionConfig after, String event, int requests, Path work)
            throws IOException, InterruptedException {
        Path beforeLog = Files.createTempFile(work, "warm-before", ".log");
        Path afterLog = Files.createTempFile(work, "warm-after", ".log");
        try (RuntimeApiEmulator beforeApi = new RuntimeApiEmulator(Duration.ofSeconds(60));
             RuntimeApiEmulator afterApi = new RuntimeApiEmulator(Duration.ofSeconds(60))) {
            Process beforeProcess = beforeBox.start(before, beforeApi.address(), true, beforeLog);
            Process afterProcess = afterBox.start(after, afterApi.address(), true, afterLog);
            try {
                beforeApi.offer(new RuntimeApiEmulator.Event("restore-before", event));
                afterApi.offer(new RuntimeApiEmulator.Event("restore-after", event));
                FunctionBench.requireOk(beforeApi.take(Duration.ofSeconds(120)), beforeLog);
                FunctionBench.requireOk(afterApi.take(Duration.ofSeconds(120)), afterLog);
                double[] b = new double[requests];
                double[] a = new double[requests];
                for (int i = 0; i < requests; i++) {
                    boolean beforeFirst = i % 2 == 0;
                    for (int turn = 0; turn < 2; turn++) {
                        boolean isBefore = (turn == 0) == beforeFirst;
                        RuntimeApiEmulator api = isBefore ? beforeApi : afterApi;
                        api.offer(new RuntimeApiEmulator.Event((isBefore ? "b-" : "a-") + i, event));
                        double millis = FunctionBench.requireOk(api.take(Duration.ofSeconds(60)),
                                isBefore ? beforeLog : afterLog).handlerMillis();
                        (isBefore ? b : a)[i] = millis;
                    }
                }
                return new Warm(b, a, lastRequestLine(beforeLog), lastRequestLine(afterLog));
            } finally {
                FunctionBench.stop(beforeProcess);
                FunctionBench.stop(afterProcess);
            }
        }
    }

    private static String lastRequestLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.contains("\"requestId\":\"a-")
                || l.contains("\"requestId\":\"b-")).toList();
        return lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1);
    }

    private static String report(FunctionBench.Options o, LambdaSandbox.FunctionConfig before,
                                 LambdaSandbox.FunctionConfig after, List<Double> coldBefore, List<Double> coldAfter,
                                 Warm warm, String loadAtStart, String loadAtEnd) {
        double[] cb = sorted(coldBefore);
        double[] ca = sorted(coldAfter);
        double[] wb = warm.before().clone();
        double[] wa = warm.after().clone();
        double[] diff = new double[wb.length];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = wa[i] - wb[i];
        }
        Arrays.sort(wb);
        Arrays.sort(wa);
        Arrays.sort(diff);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, """
                # Function before and after, in one run (Lambda-like sandbox)

                - date: %s; bundle: %s; image: %s
                - before: %s (`%s`); after: this build (`%s`)
                - sandbox as in function-bench.md: read-only /var/task, user nobody, heap %d MB for MemorySize %d MB, \
                pinned to core(s) %s, JAVA_TOOL_OPTIONS from the template; after with the template's LoggingConfig \
                (environment %s), before with Lambda's text log format
                - load average (1, 5, 15 min) at start: %s; at end: %s (a shared 2-core machine)

                ## Cold start: JVM start to the first answered API Gateway event (no SnapStart), %d rounds, alternating

                | build | median | min | max |
                |---|---|---|---|
                | before | %.0f ms | %.0f ms | %.0f ms |
                | after | %.0f ms | %.0f ms | %.0f ms |

                Difference of the medians: %+.0f ms.

                ## Warm handler duration (event handed out to response posted), %,d invocations each, alternating one by one

                | build | p50 | p95 | p99 | mean |
                |---|---|---|---|---|
                | before | %.2f ms | %.2f ms | %.2f ms | %.2f ms |
                | after | %.2f ms | %.2f ms | %.2f ms | %.2f ms |

                Per-pair difference (after minus the before invocation next to it): median %+.3f ms, mean %+.3f ms, \
                25th-75th percentile %+.3f to %+.3f ms.

                ## The request's log line

                - before: `%s`
                - after (%,d bytes): `%s`
                """, Instant.now(), o.bundle, o.image.getFileName(), o.beforeLabel, o.beforeLib, o.lib, after.heapMb(),
                after.memoryMb(), after.cpuList(), after.environment(), loadAtStart, loadAtEnd, o.rounds,
                Percentiles.of(cb).median(), cb[0], cb[cb.length - 1], Percentiles.of(ca).median(), ca[0], ca[ca.length - 1],
                Percentiles.of(ca).median() - Percentiles.of(cb).median(), warm.before().length,
                Percentiles.of(wb).median(), Percentiles.of(wb).at(0.95), Percentiles.of(wb).at(0.99), mean(wb),
                Percentiles.of(wa).median(), Percentiles.of(wa).at(0.95), Percentiles.of(wa).at(0.99), mean(wa),
                Percentiles.of(diff).median(), mean(diff), Percentiles.of(diff).at(0.25), Percentiles.of(diff).at(0.75),
                warm.beforeLine(), warm.afterLine().length(), warm.afterLine()));
        return md.toString();
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
