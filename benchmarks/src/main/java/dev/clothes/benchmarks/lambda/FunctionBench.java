package dev.clothes.benchmarks.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.json.Json;
import dev.clothes.lambda.deploy.CfnTemplate;
import dev.clothes.lambda.deploy.FunctionPackager;
import dev.clothes.lambda.local.LambdaSandbox;
import dev.clothes.lambda.local.RestEvent;
import dev.clothes.lambda.local.RuntimeApiEmulator;
import dev.clothes.inference.stats.Percentiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Measures the function package as Lambda runs it, inside {@link LambdaSandbox} with the settings of
 * {@code infra/template.yaml}: cold start (JVM start to the first answered API Gateway event) with
 * the natives pre-extracted against the same package with natives left in their jars, in alternating
 * turns; what each leaves in /tmp; the SnapStart sequence (priming inference, restore); then a soak of
 * sequential invocations (one at a time, as one Lambda instance serves them) with the handler's
 * duration and the JVM's RSS; and the cost per million requests at candidate memory sizes on both
 * architectures. Writes {@code function-bench.md} and {@code memory-and-cost.csv} to the report folder.
 * Linux, as root (the sandbox needs a mount namespace). Run by the {@code function} benchmark after
 * {@code infra/package-function.sh BUNDLE}.
 */
public final class FunctionBench {

    /** AWS Lambda list prices, us-east-1, first tier (https://aws.amazon.com/lambda/pricing/). */
    private static final double X86_PER_GB_SECOND = 0.0000166667;
    private static final double ARM_PER_GB_SECOND = 0.0000133334;
    private static final double PER_MILLION_REQUESTS = 0.20;
    private static final int ONE_VCPU_MB = 1769;
    private static final int[] MEMORY_SIZES = {512, 1024, 1536, 1769, 2048, 3008};

    private FunctionBench() {
    }

    record ColdStart(String variant, double millis, List<String> tmpWrites) {
    }

    @Command(name = "function", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The function package in a Lambda-like sandbox (Linux, as root): cold start, SnapStart, soak, "
                + "cost per memory size; with --before-lib, cold start and warm handler time of an earlier build of the "
                + "function against this one, in alternating turns."})
    public static final class Options implements java.util.concurrent.Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FUNCTION_LIB",
                description = "lambda-function/target/function-lib (left by infra/package-function.sh)")
        Path lib;
        @Parameters(index = "1", paramLabel = "BUNDLE", description = "a TFLite or ONNX bundle folder")
        Path bundle;
        @Parameters(index = "2", paramLabel = "IMAGE", description = "the JPEG every event carries")
        Path image;
        @Parameters(index = "3", paramLabel = "TEMPLATE", description = "infra/template.yaml")
        Path template;
        @Parameters(index = "4", paramLabel = "REPORT_DIR", description = "where the reports go")
        Path reports;
        @Parameters(index = "5", paramLabel = "ROUNDS", arity = "0..1", defaultValue = "5",
                description = "cold starts per variant (default ${DEFAULT-VALUE})")
        int rounds;
        @Parameters(index = "6", paramLabel = "REQUESTS", arity = "0..1", defaultValue = "2000",
                description = "warm invocations per variant (default ${DEFAULT-VALUE})")
        int requests;
        @Option(names = "--before-lib", paramLabel = "DIR", description = "the function-lib of an earlier build (e.g. "
                + "built from an older commit in a temporary worktree): writes function-bench-before-after.md instead")
        Path beforeLib;
        @Option(names = "--before-label", paramLabel = "TEXT", defaultValue = "before",
                description = "what the earlier build is, for the report (default ${DEFAULT-VALUE})")
        String beforeLabel;

        @Override
        public Integer call() throws Exception {
            if (beforeLib != null) {
                BeforeAfter.run(this);
            } else {
                run(lib, bundle, image, template, reports, rounds, requests);
            }
            return 0;
        }
    }

    private static void run(Path lib, Path bundle, Path image, Path templateFile, Path reportDir, int rounds,
                            int requests) throws Exception {
        CfnTemplate template = CfnTemplate.parse(templateFile.toString(), Files.readString(templateFile));
        Path reports = Files.createDirectories(reportDir);
        LambdaSandbox.FunctionConfig config = LambdaSandbox.FunctionConfig.fromTemplate(template, 512);

        Path work = Files.createTempDirectory(Path.of(System.getProperty("user.dir")).toAbsolutePath(), "function-bench");
        try {
            Map<FunctionPackager.Natives, LambdaSandbox> sandboxes = new java.util.EnumMap<>(FunctionPackager.Natives.class);
            Map<FunctionPackager.Natives, Long> zipBytes = new java.util.EnumMap<>(FunctionPackager.Natives.class);
            for (FunctionPackager.Natives natives : FunctionPackager.Natives.values()) {
                Path dir = work.resolve(natives.name().toLowerCase(Locale.ROOT));
                FunctionPackager.Summary summary = FunctionPackager.write(lib, bundle, FunctionPackager.Arch.X86_64,
                        natives, dir.resolve("task"), dir.resolve("function.zip"));
                zipBytes.put(natives, summary.zipBytes());
                sandboxes.put(natives, LambdaSandbox.prepare(dir.resolve("task"), dir));
            }
            String event = event(image);

            List<ColdStart> colds = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                // Alternate which variant goes first, so a machine getting busier does not favour one.
                List<FunctionPackager.Natives> order = new ArrayList<>(List.of(FunctionPackager.Natives.values()));
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (FunctionPackager.Natives natives : order) {
                    colds.add(coldStart(sandboxes.get(natives), configFor(natives, config), natives.name(), event, work));
                    System.out.printf(Locale.ROOT, "cold start %d/%d %s: %.0f ms%n", round + 1, rounds, natives,
                            colds.get(colds.size() - 1).millis());
                }
            }
            Soak soak = soak(sandboxes.get(FunctionPackager.Natives.PRE_EXTRACTED), config, event, requests, work);
            String report = report(config, image, zipBytes, colds, soak, rounds);
            Files.writeString(reports.resolve("function-bench.md"), report);
            Files.writeString(reports.resolve("memory-and-cost.csv"), costCsv(soak));
            System.out.println(report);
        } finally {
            deleteTree(work);
        }
    }

    /** An API Gateway REST event carrying {@code image} as a binary body, as a deployed stage receives it. */
    static String event(Path image) throws IOException {
        return Json.mapper().writeValueAsString(RestEvent.predict("image/jpeg",
                Base64.getEncoder().encodeToString(Files.readAllBytes(image)), true, "bench"));
    }

    /** Natives left in jars run with the options the template had before: no native paths to load in place from. */
    static LambdaSandbox.FunctionConfig configFor(FunctionPackager.Natives natives, LambdaSandbox.FunctionConfig config) {
        if (natives == FunctionPackager.Natives.PRE_EXTRACTED) {
            return config;
        }
        String before = java.util.Arrays.stream(config.javaToolOptions().split("\\s+"))
                .filter(o -> !o.contains("/var/task/native") && !o.startsWith("-Dorg.bytedeco.javacpp."))
                .collect(java.util.stream.Collectors.joining(" "));
        return new LambdaSandbox.FunctionConfig(config.memoryMb(), config.tmpMb(), before, config.environment());
    }

    static ColdStart coldStart(LambdaSandbox sandbox, LambdaSandbox.FunctionConfig config, String variant,
                                       String event, Path work) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "cold", ".log");
        try (RuntimeApiEmulator api = new RuntimeApiEmulator(Duration.ofSeconds(60))) {
            api.offer(new RuntimeApiEmulator.Event("cold-" + variant, event));
            long start = System.nanoTime();
            Process process = sandbox.start(config, api.address(), false, log);
            RuntimeApiEmulator.Result result = api.take(Duration.ofSeconds(120));
            double millis = (System.nanoTime() - start) / 1e6;
            stop(process);
            requireOk(result, log);
            return new ColdStart(variant, millis, LambdaSandbox.writes(Files.readString(log)));
        }
    }

    record Soak(int requests, double p50, double p95, double p99, double mean, long rssStartKb, long rssMiddleKb,
                long rssEndKb, long rssMaxKb, boolean restored, String primingLine, double afterRestoreMillis) {
    }

    /** SnapStart sequence, then {@code requests} invocations one at a time; RSS sampled every 100. */
    private static Soak soak(LambdaSandbox sandbox, LambdaSandbox.FunctionConfig config, String event, int requests,
                             Path work) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "soak", ".log");
        try (RuntimeApiEmulator api = new RuntimeApiEmulator(Duration.ofSeconds(60))) {
            Process process = sandbox.start(config, api.address(), true, log);
            try {
                api.offer(new RuntimeApiEmulator.Event("after-restore", event));
                RuntimeApiEmulator.Result first = requireOk(api.take(Duration.ofSeconds(120)), log);
                ProcessHandle jvm = LambdaSandbox.jvm(process);
                double[] millis = new double[requests];
                long rssStart = rssKb(jvm);
                long rssMiddle = 0;
                long rssMax = rssStart;
                for (int i = 0; i < requests; i++) {
                    api.offer(new RuntimeApiEmulator.Event("soak-" + i, event));
                    millis[i] = requireOk(api.take(Duration.ofSeconds(60)), log).handlerMillis();
                    if (i % 100 == 99) {
                        long rss = rssKb(jvm);
                        rssMax = Math.max(rssMax, rss);
                        if (i < requests / 2) {
                            rssMiddle = rss;
                        }
                    }
                }
                long rssEnd = rssKb(jvm);
                double[] sorted = millis.clone();
                java.util.Arrays.sort(sorted);
                String priming = Files.readString(log).lines().filter(l -> l.contains("snapstart-prime"))
                        .findFirst().orElse("(no priming line)");
                return new Soak(requests, Percentiles.of(sorted).median(), Percentiles.of(sorted).at(0.95), Percentiles.of(sorted).at(0.99),
                        java.util.Arrays.stream(millis).average().orElse(0), rssStart, rssMiddle, rssEnd,
                        Math.max(rssMax, rssEnd), api.restoreRequested(), priming, first.handlerMillis());
            } finally {
                stop(process);
            }
        }
    }

    static RuntimeApiEmulator.Result requireOk(RuntimeApiEmulator.Result result, Path log) throws IOException {
        if (result.error() != null) {
            throw new IOException(result.error() + "\n" + Files.readString(log));
        }
        JsonNode response = Json.mapper().readTree(result.response());
        if (response.path("statusCode").asInt() != 200) {
            throw new IOException("status " + response.path("statusCode") + ": " + response.path("body"));
        }
        return result;
    }

    static void stop(Process sandbox) throws InterruptedException {
        sandbox.descendants().forEach(ProcessHandle::destroy);
        if (!sandbox.waitFor(20, TimeUnit.SECONDS)) {
            sandbox.descendants().forEach(ProcessHandle::destroyForcibly);
            sandbox.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long rssKb(ProcessHandle jvm) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(jvm.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for process " + jvm.pid());
    }


    /** Duration at a memory size: measured on one core; below one vCPU's worth, CPU-bound work slows in proportion. */
    static double modelledMillis(double measuredMillis, int memoryMb) {
        return measuredMillis * Math.max(1.0, (double) ONE_VCPU_MB / memoryMb);
    }

    static double costPerMillion(double millis, int memoryMb, double perGbSecond) {
        double billedSeconds = Math.ceil(millis) / 1000;    // Lambda bills whole milliseconds
        return PER_MILLION_REQUESTS + 1e6 * memoryMb / 1024.0 * billedSeconds * perGbSecond;
    }

    private static String costCsv(Soak soak) {
        StringBuilder csv = new StringBuilder("memory_mb,modelled_p50_ms,x86_64_usd_per_million,arm64_usd_per_million\n");
        for (int memory : MEMORY_SIZES) {
            double millis = modelledMillis(soak.p50(), memory);
            csv.append(String.format(Locale.ROOT, "%d,%.1f,%.2f,%.2f%n", memory, millis,
                    costPerMillion(millis, memory, X86_PER_GB_SECOND), costPerMillion(millis, memory, ARM_PER_GB_SECOND)));
        }
        return csv.toString();
    }

    private static String report(LambdaSandbox.FunctionConfig config, Path image,
                                 Map<FunctionPackager.Natives, Long> zipBytes, List<ColdStart> colds, Soak soak,
                                 int rounds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, """
                # Function package in a Lambda-like sandbox

                - date: %s; image: %s
                - sandbox: package read-only at /var/task, Runtime Interface Client at /var/runtime, a %d MB /tmp \
                the only writable place, no home directory, user nobody, heap %d MB for MemorySize %d MB, \
                pinned to core(s) %s, JAVA_TOOL_OPTIONS from infra/template.yaml (for natives in jars, without the \
                options that point at native/, as the template was before)
                - every figure below comes from one run of this command, the two packages in alternating turns

                ## Cold start: JVM start to the first answered API Gateway event (no SnapStart)

                | package | zip bytes | median | min | max | files left in /tmp |
                |---|---|---|---|---|---|
                """, Instant.now(), image.getFileName(), config.tmpMb(), config.heapMb(), config.memoryMb(),
                config.cpuList()));
        for (FunctionPackager.Natives natives : FunctionPackager.Natives.values()) {
            double[] ms = colds.stream().filter(c -> c.variant().equals(natives.name())).mapToDouble(ColdStart::millis)
                    .sorted().toArray();
            List<String> writes = colds.stream().filter(c -> c.variant().equals(natives.name()))
                    .flatMap(c -> c.tmpWrites().stream()).distinct().toList();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.0f ms | %.0f ms | %.0f ms | %s |%n",
                    natives == FunctionPackager.Natives.PRE_EXTRACTED ? "natives pre-extracted (shipped)"
                            : "natives in jars (before)", zipBytes.get(natives), Percentiles.of(ms).median(), ms[0], ms[ms.length - 1],
                    writes.isEmpty() ? "none" : String.join("<br>", writes)));
        }
        md.append(String.format(Locale.ROOT, """

                %d rounds.

                ## SnapStart sequence and soak (natives pre-extracted)

                - checkpoint hook: `%s`
                - restore requested (`restore/next`): %s; first invocation after restore: %.1f ms
                - %,d invocations one at a time: handler duration p50 / p95 / p99 %.1f / %.1f / %.1f ms, mean %.1f ms
                - JVM RSS at soak start / middle / end / max: %,d / %,d / %,d / %,d kB

                ## Memory size and cost per million requests

                Duration at each size is the measured p50 on one core, scaled by 1,769 MB / size below one vCPU \
                (CPU-bound work gets a proportional share of a core there); arm64 uses the same duration (not \
                measurable here). Prices: AWS Lambda, us-east-1, $%.10f (x86_64) and $%.10f (arm64) per GB-second, \
                $%.2f per million requests.

                | MemorySize | modelled p50 | x86_64 $/million | arm64 $/million |
                |---|---|---|---|
                """, rounds, soak.primingLine(), soak.restored(), soak.afterRestoreMillis(), soak.requests(),
                soak.p50(), soak.p95(), soak.p99(), soak.mean(), soak.rssStartKb(), soak.rssMiddleKb(),
                soak.rssEndKb(), soak.rssMaxKb(), X86_PER_GB_SECOND, ARM_PER_GB_SECOND, PER_MILLION_REQUESTS));
        for (int memory : MEMORY_SIZES) {
            double millis = modelledMillis(soak.p50(), memory);
            md.append(String.format(Locale.ROOT, "| %d MB | %.1f ms | %.2f | %.2f |%n", memory, millis,
                    costPerMillion(millis, memory, X86_PER_GB_SECOND), costPerMillion(millis, memory, ARM_PER_GB_SECOND)));
        }
        return md.toString();
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
