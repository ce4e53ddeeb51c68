package dev.clothes.benchmarks.lambda;

import dev.clothes.cli.ChildJvm;
import dev.clothes.benchmarks.machine.Load;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.stats.Percentiles;
import dev.clothes.lambda.deploy.FunctionPackager;
import dev.clothes.lambda.local.EndpointLoad;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Several bundles served by the function in one run (e.g. the model before and after a change): each one
 * measured by {@link EndpointLoad} in alternating turns (a fresh server JVM per turn), and, given the
 * function's jars, the x86_64 package each one makes. The first bundle is the reference of the ratios.
 * {@code ./mvnw -q -B -ntp -pl benchmarks -am compile exec:java -Dbenchmark=bundle-comparison
 * -Dexec.args="--bundle before=runs/a/tflite --bundle after=runs/b/tflite --image photo.jpg --report report.md"}.
 */
@Command(name = "bundle-comparison", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve several bundles through the function's local endpoint in alternating turns and compare "
            + "warm latency, model time, start, RSS and package size in one run."})
public final class BundleComparison implements Callable<Integer> {

    @Option(names = "--bundle", required = true, paramLabel = "NAME=DIR",
            description = "A bundle to serve, named for the report (repeatable; the first is the reference).")
    List<String> bundles;

    @Option(names = "--image", required = true, description = "The photo every request posts.")
    Path image;

    @Option(names = "--report", required = true, description = "Markdown report to write.")
    Path report;

    @Option(names = "--rounds", defaultValue = "3", description = "Turns per bundle (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--requests", defaultValue = "1000",
            description = "Requests per turn, one client (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--jars", description = "The function's runtime jars (lambda-function/target/function-lib, left by "
            + "infra/package-function.sh): adds each bundle's x86_64 package size.")
    Path jars;

    @Override
    public Integer call() throws Exception {
        Map<String, Path> named = new LinkedHashMap<>();
        for (String b : bundles) {
            int eq = b.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--bundle takes NAME=DIR, not " + b);
            }
            Path dir = Path.of(b.substring(eq + 1));
            ModelBundle.load(dir); // verified before anything is measured
            named.put(b.substring(0, eq), dir);
        }
        double loadStart = Load.oneMinute();
        String classpath = ChildJvm.classpath();
        Map<String, List<EndpointLoad.Figures>> figures = new LinkedHashMap<>();
        named.keySet().forEach(n -> figures.put(n, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            List<String> order = new ArrayList<>(named.keySet());
            if (r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String name : order) {
                figures.get(name).add(EndpointLoad.measure(named.get(name), image, requests, 1, classpath));
            }
            System.out.printf(Locale.ROOT, "round %d/%d done%n", r + 1, rounds);
        }
        Map<String, Long> zips = new LinkedHashMap<>();
        if (jars != null) {
            for (Map.Entry<String, Path> e : named.entrySet()) {
                Path stage = Files.createTempDirectory("package-stage");
                Path zip = Files.createTempDirectory("package").resolve("function.zip");
                zips.put(e.getKey(), FunctionPackager.write(jars, e.getValue(), FunctionPackager.Arch.X86_64,
                        FunctionPackager.Natives.PRE_EXTRACTED, stage, zip).zipBytes());
            }
        }
        StringBuilder md = new StringBuilder("# Bundles served by the function, in one run\n\n");
        md.append("- date: ").append(Instant.now()).append(String.format(Locale.ROOT,
                "; load average %.2f at the start, %.2f at the end (2 cores)%n", loadStart, Load.oneMinute()));
        named.forEach((n, dir) -> md.append("- ").append(n).append(": ").append(dir).append('\n'));
        md.append(String.format(Locale.ROOT, "- image: %s; %d rounds, bundles in alternating turns, each turn a fresh "
                + "server JVM and %,d requests from one client (EndpointLoad); medians over rounds%n%n", image, rounds,
                requests));
        List<String> names = new ArrayList<>(named.keySet());
        md.append("| figure | ").append(String.join(" | ", names)).append(" |");
        for (int i = 1; i < names.size(); i++) {
            md.append(' ').append(names.get(i)).append(" / ").append(names.get(0)).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(2 * names.size() - 1)).append('\n');
        row(md, "warm end to end, median (ms)", figures, EndpointLoad.Figures::warmEndToEndMillis);
        row(md, "model only (inference), median (ms)", figures, EndpointLoad.Figures::warmModelMillis);
        row(md, "p99, one client (ms)", figures, EndpointLoad.Figures::p99);
        row(md, "JVM start to first answer (ms)", figures, EndpointLoad.Figures::firstAnswerMillis);
        row(md, "server RSS at the end (kB)", figures, f -> f.rssEndKb());
        if (!zips.isEmpty()) {
            md.append("| function.zip, x86_64 (bytes) |");
            for (String n : names) {
                md.append(String.format(Locale.ROOT, " %,d |", zips.get(n)));
            }
            for (int i = 1; i < names.size(); i++) {
                md.append(String.format(Locale.ROOT, " %.3f |", (double) zips.get(names.get(i)) / zips.get(names.get(0))));
            }
            md.append('\n');
        }
        Files.writeString(report, md);
        System.out.println(md);
        return 0;
    }

    private static void row(StringBuilder md, String figure, Map<String, List<EndpointLoad.Figures>> figures,
                            ToDoubleFunction<EndpointLoad.Figures> value) {
        List<Double> medians = figures.values().stream()
                .map(list -> Percentiles.of(list.stream().mapToDouble(value).toArray()).median()).toList();
        md.append("| ").append(figure).append(" |");
        for (double m : medians) {
            md.append(String.format(Locale.ROOT, " %,.1f |", m));
        }
        for (int i = 1; i < medians.size(); i++) {
            md.append(String.format(Locale.ROOT, " %.3f |", medians.get(i) / medians.get(0)));
        }
        md.append('\n');
    }

}
