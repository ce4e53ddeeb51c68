package dev.clothes.benchmarks.lambda;

import dev.clothes.cli.ChildJvm;
import dev.clothes.cli.Cli;
import dev.clothes.inference.json.Json;
import dev.clothes.lambda.handler.PredictRequest;
import dev.clothes.lambda.handler.PredictService;
import dev.clothes.lambda.handler.RequestLog;
import dev.clothes.inference.stats.Percentiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Whether to write the request's Embedded Metric Format line with AWS's library
 * (software.amazon.cloudwatchlogs:aws-embedded-metrics, which Powertools for AWS Lambda's metrics module is
 * built on) or with the project's Jackson ({@link RequestLog}): what the first line costs a cold start, and what
 * a warm line costs. Each round starts two fresh JVMs (the template's C1-only JIT), one per writer, in
 * alternating order; each loads Jackson first (the function has, by the time a request comes), then times its
 * first line, then 20,000 more. The library is told it runs in Lambda (as it would see there), so it writes to
 * stdout and probes nothing; the JVMs run in a network namespace of their own where root allows it. Writes
 * {@code emf-library.md}.
 */
@Command(name = "emf-library", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cold and warm cost of the EMF request line: aws-embedded-metrics against the project's Jackson.")
public final class EmfLibraryBench implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REPORT_DIR", description = "where emf-library.md goes")
    Path reports;

    @Option(names = "--rounds", defaultValue = "15", description = "fresh JVMs per writer (default ${DEFAULT-VALUE})")
    int rounds;

    private static final int WARM_LINES = 20_000;

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals("--child")) {
            child(args[1]);
            return;
        }
        Cli.exit(new EmfLibraryBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        String loadAtStart = BeforeAfter.loadAverage();
        List<double[]> library = new ArrayList<>();
        List<double[]> project = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < 2; turn++) {
                boolean libraryTurn = (turn == 0) == (round % 2 == 0);
                double[] result = runChild(libraryTurn ? "library" : "project");
                (libraryTurn ? library : project).add(result);
                System.out.printf(Locale.ROOT, "round %d %s: first line %.1f ms, warm %.1f us%n", round + 1,
                        libraryTurn ? "aws-embedded-metrics" : "RequestLog (Jackson)", result[0], result[1]);
            }
        }
        String report = report(library, project, loadAtStart, BeforeAfter.loadAverage());
        Files.createDirectories(reports);
        Files.writeString(reports.resolve("emf-library.md"), report);
        System.out.println(report);
        return 0;
    }

    private double[] runChild(String variant) throws Exception {
        String java = ChildJvm.java();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/unshare")) && "root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("/usr/bin/unshare", "--net", "--"));
        }
        command.addAll(List.of(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", ChildJvm.classpath(), EmfLibraryBench.class.getName(), "--child", variant));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "clothes-classifier");
        pb.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "7");
        pb.environment().put("AWS_EMF_ENVIRONMENT", "Lambda");
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(variant + " child failed:\n" + out);
        }
        String result = out.lines().filter(l -> l.startsWith("result ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result from the " + variant + " child:\n" + out));
        String[] parts = result.split(" ");
        return new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    }

    /** In a fresh JVM: Jackson warm, then the first line and the warm lines of one writer, timed. */
    private static void child(String variant) {
        PrintStream stdout = System.out;
        Json.mapper().createObjectNode().put("warm", true).toString();
        // Both write through a print stream as the function does; the bytes are dropped, not timed on a pipe.
        System.setOut(new PrintStream(new ByteArrayOutputStream(), false, StandardCharsets.UTF_8));
        PredictService.Outcome outcome = new PredictService.Outcome(200, Json.mapper().createObjectNode(),
                PredictRequest.Source.API_GATEWAY_REST, new PredictService.Facts(PredictRequest.Input.BODY, null, 28_331,
                null, null));
        RequestLog.Function function = new RequestLog.Function("clothes-classifier", "7");
        Runnable line = variant.equals("library") ? () -> libraryLine() : () -> System.out.println(
                RequestLog.line("r-1", outcome, 14.2, function, "clothes/3", 10, true, Instant.now()).toString());
        long start = System.nanoTime();
        line.run();
        double firstMillis = (System.nanoTime() - start) / 1e6;
        for (int i = 0; i < WARM_LINES / 2; i++) {
            line.run();
        }
        long warmStart = System.nanoTime();
        for (int i = 0; i < WARM_LINES / 2; i++) {
            line.run();
        }
        double warmMicros = (System.nanoTime() - warmStart) / 1e3 / (WARM_LINES / 2);
        System.setOut(stdout);
        System.out.printf(Locale.ROOT, "result %.3f %.3f%n", firstMillis, warmMicros);
    }

    /** The same line through the library: dimensions, the metrics, and the request's fields as properties. */
    private static void libraryLine() {
        MetricsLogger metrics = new MetricsLogger();
        metrics.setNamespace(RequestLog.NAMESPACE);
        metrics.setDimensions(DimensionSet.of("function", "clothes-classifier"),
                DimensionSet.of("function", "clothes-classifier", "version", "7"));
        metrics.putMetric("totalMs", 14.2, Unit.MILLISECONDS);
        metrics.putMetric("requests", 1, Unit.COUNT);
        metrics.putProperty("requestId", "r-1");
        metrics.putProperty("status", 200);
        metrics.putProperty("source", "body");
        metrics.putProperty("bytes", 28_331);
        metrics.putProperty("model", "clothes/3");
        metrics.flush();
    }

    private static String report(List<double[]> library, List<double[]> project, String loadAtStart, String loadAtEnd) {
        double[] libFirst = library.stream().mapToDouble(r -> r[0]).sorted().toArray();
        double[] projFirst = project.stream().mapToDouble(r -> r[0]).sorted().toArray();
        double[] libWarm = library.stream().mapToDouble(r -> r[1]).sorted().toArray();
        double[] projWarm = project.stream().mapToDouble(r -> r[1]).sorted().toArray();
        return String.format(Locale.ROOT, """
                # The EMF request line: aws-embedded-metrics or the project's Jackson

                - date: %s; %d fresh JVMs per writer, alternating; JDK %s, -XX:TieredStopAtLevel=1 as the template sets
                - load average (1, 5, 15 min) at start: %s; at end: %s (a shared 2-core machine)
                - each JVM loads Jackson first (the function has read its bundle with it before any request), then times
                  its first EMF line (class loading and initialisation included), then %,d more

                | writer | first line, median | min | max | warm line, median |
                |---|---|---|---|---|
                | software.amazon.cloudwatchlogs:aws-embedded-metrics 4.2.0 | %.1f ms | %.1f ms | %.1f ms | %.1f us |
                | RequestLog (project's Jackson) | %.1f ms | %.1f ms | %.1f ms | %.1f us |

                The library's first line costs %.1f ms more than the project's (median against median); the decision
                rule was to use it only under 30 ms of cold-start cost.
                """, Instant.now(), library.size(), System.getProperty("java.version"), loadAtStart, loadAtEnd, WARM_LINES,
                Percentiles.of(libFirst).median(), libFirst[0], libFirst[libFirst.length - 1], Percentiles.of(libWarm).median(),
                Percentiles.of(projFirst).median(), projFirst[0], projFirst[projFirst.length - 1],
                Percentiles.of(projWarm).median(), Percentiles.of(libFirst).median() - Percentiles.of(projFirst).median());
    }
}
