package dev.clothes.notebooks.deployment;

import dev.clothes.cli.ChildJvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.clothes.evaluation.dataset.ImageFolderDataset;
import dev.clothes.evaluation.dataset.LabeledImage;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.lambda.handler.PredictHandler;
import dev.clothes.lambda.local.EndpointLoad;
import dev.clothes.lambda.local.LocalServer;
import dev.clothes.lambda.local.RestEvent;
import dev.clothes.lambda.local.RuntimeApiEmulator;
import dev.clothes.notebooks.report.Pictures.Tile;
import dev.clothes.notebooks.report.Pictures;
import dev.clothes.notebooks.report.Report;
import dev.clothes.notebooks.report.ReportOutput;
import dev.clothes.notebooks.report.Walkthrough;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = ModelDeployment.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Walkthrough 3: serves the converted model on the local endpoint and calls it with the "
            + "reference README's curl command, invokes the handler through the Lambda runtime protocol (the real "
            + "Runtime Interface Client), builds the deployment package and measures cold and warm latency.",
            "Reads RUN/converted/tflite-float32 (from walkthrough 2); writes REPORTS/3-model-deployment.html and .md."})
public final class ModelDeployment implements Callable<Integer> {

    public static final String NAME = Walkthrough.DEPLOYMENT;

    @Option(names = "--bundle", defaultValue = "runs/mobilenet-v2/converted/tflite-float32",
            description = "Bundle to serve (default: ${DEFAULT-VALUE}).")
    Path bundle;

    @Option(names = "--data", description = "Dataset folder, for the test image (default: $CLOTHES_DATA, else data/clothing-dataset-small).")
    Path data;

    @Option(names = "--requests", defaultValue = "2000", description = "Requests in the latency benchmark (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--concurrency", defaultValue = "4", description = "Clients in the benchmark's soak phase (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--skip-package", description = "Do not build dist/function.zip (it needs a Maven package build, ~1 min).")
    boolean skipPackage;

    @Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(bundle.resolve(ModelBundle.MANIFEST_FILE))) {
            throw new BundleException("no converted bundle in " + bundle + ". Convert the trained model first "
                    + "with walkthrough 2:\n  " + Walkthrough.command(Walkthrough.CONVERSION, List.of()));
        }
        ImageFolderDataset dataset = ImageFolderDataset.open(ImageFolderDataset.resolveRoot(data), List.of("test"));
        LabeledImage shirt = firstOf(dataset, "t-shirt");
        byte[] image = Files.readAllBytes(shirt.file());
        Report report = output.start("3 · Model deployment");
        report.picture("request-image.jpg", Pictures.jpeg(Pictures.grid(List.of(new Tile(
                        new ImageDecoder().decode(image).toBufferedImage(), List.of(shirt.file().getFileName().toString()))),
                        1, 260)),
                "The image every call below sends: a " + dataset.classes().get(shirt.label()) + " from the test split ("
                        + String.format(Locale.ROOT, "%,d", image.length) + " bytes).");

        localEndpoint(report, image);
        runtimeProtocol(report, image);
        deploymentPackage(report);
        benchmark(report, shirt.file());

        output.write(report);
        return 0;
    }

    private static LabeledImage firstOf(ImageFolderDataset dataset, String label) {
        int index = Math.max(0, dataset.classes().indexOf(label));
        return dataset.split("test").stream().filter(i -> i.label() == index).findFirst()
                .orElse(dataset.split("test").get(0));
    }

    private void localEndpoint(Report report, byte[] image) throws Exception {
        report.heading("The local endpoint");
        long start = System.nanoTime();
        Classifier classifier = Classifier.open(bundle, ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(1, 2)));
        PredictHandler handler = new PredictHandler(classifier,
                new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(true)));
        HttpServer images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        images.createContext("/shirt.jpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, image.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(image);
            }
        });
        images.start();
        try (classifier; LocalServer server = new LocalServer(handler, 0, 4)) {
            double startMillis = (System.nanoTime() - start) / 1e6;
            report.text("`serve` runs the deployed handler behind `POST /predict` on 127.0.0.1; every request becomes the "
                    + "API Gateway event the function gets in AWS. Started here in-process, in "
                    + String.format(Locale.ROOT, "%.0f ms", startMillis) + " (bundle load and verification included):");
            report.code("./mvnw -q -B -ntp -pl lambda-tools -am compile exec:java -Dexec.args=\"" + bundle
                    + " --allow-loopback-urls\"");
            String url = "http://127.0.0.1:" + images.getAddress().getPort() + "/shirt.jpg";
            String endpoint = "http://127.0.0.1:" + server.port() + "/predict";
            String body = "{\"url\": \"" + url + "\"}";
            List<String> curl = List.of("curl", "-s", "-X", "POST", endpoint, "-H", "Content-Type: application/json",
                    "-d", body);
            report.text("The reference README's call, with the image served from a second loopback server "
                    + "(`--allow-loopback-urls` lets the function fetch from 127.0.0.1; deployed, such URLs get 422):");
            report.code("curl -X POST " + endpoint + " -H 'Content-Type: application/json' -d '" + body + "'");
            String answer = curl(curl, endpoint, body);
            report.text("Its answer:");
            report.code(pretty(answer));
            JsonNode json = Json.mapper().readTree(answer);
            report.text("Top label **" + json.path("predictions").path(0).path("label").asText() + "**; `scores` is the "
                    + "flat `{label: score}` map clients of the reference API read.");
        } finally {
            images.stop(0);
        }
    }

    /** The real curl when it is installed; otherwise the same request from Java, and the report says so. */
    private static String curl(List<String> command, String endpoint, String body) throws Exception {
        if (onPath("curl")) {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("curl failed: " + out);
            }
            return out;
        }
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body() + "\n(curl is not installed here: sent the same request from Java)";
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private void runtimeProtocol(Report report, byte[] image) throws Exception {
        report.heading("Through the Lambda runtime protocol");
        Map<String, Object> event = RestEvent.predict("image/jpeg", Base64.getEncoder().encodeToString(image), true,
                UUID.randomUUID().toString());
        String eventJson = Json.mapper().writeValueAsString(event);
        Path log = Files.createTempFile("function", ".log");
        try {
            RuntimeApiEmulator.Invocation invocation = RuntimeApiEmulator.invoke(bundle, eventJson,
                    UUID.randomUUID().toString(), ChildJvm.classpath(), log, Duration.ofSeconds(120));
            report.text("A Runtime API served on loopback hands one API Gateway REST event to the real AWS Lambda "
                    + "Runtime Interface Client (`" + RuntimeApiEmulator.HANDLER + "`) in a fresh JVM, as the "
                    + "container image runs it. The event (body shortened):");
            event.put("body", Base64.getEncoder().encodeToString(image).substring(0, 40) + "…");
            report.code(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(event));
            JsonNode response = Json.mapper().readTree(invocation.response());
            report.text(String.format(Locale.ROOT, "What the function posted back, %.0f ms after its JVM started "
                    + "(a cold start: JVM, bundle load, first inference). The body, decoded:", invocation.millisFromStart()));
            report.code("statusCode: " + response.path("statusCode").asInt() + "\nheaders: " + response.path("headers")
                    + "\nbody:\n" + pretty(response.path("body").asText()));
            List<String> logLines = invocation.log().lines().filter(l -> l.startsWith("{")).toList();
            if (!logLines.isEmpty()) {
                report.text("The function's structured log line:");
                report.code(String.join("\n", logLines));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private void deploymentPackage(Report report) throws Exception {
        report.heading("The deployment package");
        String command = "infra/package-function.sh " + bundle;
        if (skipPackage) {
            report.text("Skipped here (`--skip-package`). `" + command + "` builds `dist/function.zip`.");
            return;
        }
        Process p = new ProcessBuilder("bash", "infra/package-function.sh", bundle.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed:\n" + out);
        }
        Path zip = Path.of("dist/function.zip");
        long unzipped = 0;
        List<List<String>> rows = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                unzipped += Math.max(0, entry.getSize());
                if (!entry.isDirectory()) {
                    rows.add(List.of("`" + entry.getName() + "`", String.format(Locale.ROOT, "%,d", entry.getSize())));
                }
            }
        }
        report.code(command);
        report.text(String.format(Locale.ROOT, "`dist/function.zip`: **%.1f MB** zipped, %.1f MB unzipped (the "
                        + "Lambda limit is 250 MB unzipped): the handler's jars in `lib/`, the engine's Linux x86_64 natives "
                        + "pre-extracted in `native/` (`--arch arm64` for Graviton), the bundle in `model/`.",
                Files.size(zip) / 1e6, unzipped / 1e6));
        report.table(List.of("entry", "bytes"), rows);
        report.text("Deploy with `infra/deploy.sh " + bundle + " [--arch arm64]` (needs the SAM CLI and AWS credentials; "
                + "see `infra/README.md`).");
    }

    private void benchmark(Report report, Path image) throws Exception {
        report.heading("Cold and warm latency");
        EndpointLoad.Figures f = EndpointLoad.measure(bundle, image, requests, concurrency, ChildJvm.classpath());
        report.text("The local endpoint in a child JVM, as `EndpointLoad` (the `endpoint` benchmark) measures it (one client for the warm "
                + "figures, then a soak at concurrency " + concurrency + "):");
        report.table(List.of("figure", "value"), List.of(
                List.of("JVM start to first answered request (cold)", String.format(Locale.ROOT, "%.0f ms", f.firstAnswerMillis())),
                List.of("warm end to end, median", String.format(Locale.ROOT, "%.1f ms", f.warmEndToEndMillis())),
                List.of("model only, median", String.format(Locale.ROOT, "%.1f ms", f.warmModelMillis())),
                List.of("soak throughput", String.format(Locale.ROOT, "%.0f requests/s", f.soakPerSecond())),
                List.of("soak p50 / p95 / p99", String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", f.p50(), f.p95(), f.p99())),
                List.of("errors", String.valueOf(f.errors())),
                List.of("server RSS, soak start → end", String.format(Locale.ROOT, "%,d → %,d kB", f.rssStartKb(), f.rssEndKb()))));
    }

    private static String pretty(String json) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Json.mapper().readTree(json));
        } catch (Exception notJson) {
            return json;
        }
    }
}
