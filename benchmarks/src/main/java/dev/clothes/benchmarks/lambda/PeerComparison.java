package dev.clothes.benchmarks.lambda;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.cli.ChildJvm;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.preprocess.DecodeSize;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.stats.Percentiles;
import dev.clothes.lambda.local.LambdaSandbox;
import dev.clothes.lambda.local.RestEvent;
import dev.clothes.lambda.local.RuntimeApiEmulator;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Ours against the Node.js peer (onnxruntime-node + sharp) in one run on one machine:
 * <ul>
 *   <li>warm end to end, bytes to probabilities, 2 threads, on a dataset JPEG and on a 2400x1350 photo made
 *   here from ../shared/models/imagenet/cat_720p.jpg (bicubic, JPEG quality 90); ours serves each of BUNDLES
 *   (comma-separated: the same model as TFLite and as ONNX) with {@link DecodeSize#REDUCED} whatever its
 *   bundle.json says, the peer runs PEER_MODEL (the ONNX one) with its own bench.js;</li>
 *   <li>process start to the first classification: the function package (FUNCTION_DIR, as
 *   infra/package-function.sh lays it out) in a fresh JVM running the Lambda Runtime Interface Client
 *   against {@link RuntimeApiEmulator}, with the template's JVM options, without them, and with a
 *   class-data-sharing archive made by a first run of the same JVM; the peer's own {@code first_ms}.</li>
 * </ul>
 * Writes {@code peer-comparison.csv} ({@code image,ours_ms,peer_ms,ratio}) and {@code peer-comparison.md} to
 * OUT_DIR. Run by the {@code peer} benchmark.
 */
@Command(name = "peer", mixinStandardHelpOptions = true, description = "Ours against the Node.js peer in one run: warm end to end and start to first answer.")
public final class PeerComparison implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLES", description = "bundles to serve, comma-separated (e.g. the TFLite and ONNX conversions of one model)")
    String bundles;

    @Parameters(index = "1", paramLabel = "PEER_MODEL.onnx", description = "the ONNX model the peer runs")
    Path peerModel;

    @Parameters(index = "2", paramLabel = "PEER_DIR", description = "a folder with the peer package.json and bench.js, npm-installed")
    Path peerDir;

    @Parameters(index = "3", paramLabel = "DATASET_JPEG", description = "a dataset photo")
    Path datasetJpeg;

    @Parameters(index = "4", paramLabel = "FUNCTION_DIR", description = "the unpacked function package (dist/function)")
    Path function;

    @Parameters(index = "5", paramLabel = "OUT_DIR", description = "where peer-comparison.csv and .md go")
    Path outDir;

    @Parameters(index = "6", paramLabel = "RUNS", description = "warm runs per image (default: ${DEFAULT-VALUE})", arity = "0..1", defaultValue = "200")
    int runs;

    @Parameters(index = "7", paramLabel = "STARTS", description = "process starts per variant, 0 for warm only (default: ${DEFAULT-VALUE})", arity = "0..1", defaultValue = "5")
    int starts;


    private static final int WARMUP = 30;
    /** Alternating rounds of ours and the peer per image; the peer's figure is the median of its rounds' medians. */
    private static final int ROUNDS = 5;
    /** Events each started function JVM handles after its first answer, for its warm latency. */
    private static final int WARM_INVOCATIONS = 100;
    /** The JVM options infra/template.yaml gives the function (JAVA_TOOL_OPTIONS), natives from the package. */
    private static final List<String> TEMPLATE_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    @Override
    public Integer call() throws Exception {
        List<Path> bundlePaths = Arrays.stream(bundles.split(",")).map(Path::of).toList();
        Path out = Files.createDirectories(outDir);

        Path work = Files.createTempDirectory("peer-comparison");
        Path photo = work.resolve("photo-2400x1350.jpg");
        Files.write(photo, photo2400x1350());

        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                # Ours against the Node.js peer

                - date: %s
                - machine: %d cores, Java %s, load average %s at the start (compare ratios, not absolute times)
                - ours: %s served with decode REDUCED, %d runs after %d warm-up, 2 threads
                - peer: node bench.js %s IMAGE %d 2 (onnxruntime-node + sharp), in %d rounds alternating with ours
                - photo: ../shared/models/imagenet/cat_720p.jpg scaled to 2400x1350 (bicubic), JPEG quality 90, %,d bytes

                ## Warm, end to end (bytes to probabilities), median

                | image | ours ms | ours decode + preprocess | ours inference | peer ms | peer decode + preprocess | peer inference | ours / peer |
                |---|---|---|---|---|---|---|---|
                """, Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                loadAverage(), bundlePaths, runs, WARMUP, peerModel.getFileName(), runs / ROUNDS, ROUNDS, Files.size(photo)));
        List<String> csv = new ArrayList<>(List.of("image,ours_ms,peer_ms,ratio"));

        Map<String, Path> images = new LinkedHashMap<>();
        images.put(String.format(Locale.ROOT, "dataset JPEG %s (%.1f KB)", datasetJpeg.getFileName(),
                Files.size(datasetJpeg) / 1000.0), datasetJpeg);
        images.put(String.format(Locale.ROOT, "photo 2400x1350 (%.0f KB)", Files.size(photo) / 1000.0), photo);
        for (Path bundlePath : bundlePaths) {
            ModelBundle loaded = ModelBundle.load(bundlePath);
            ModelBundle bundle = loaded.withManifest(loaded.manifest().withPreprocessing(
                    loaded.manifest().preprocessing().withDecode(DecodeSize.REDUCED)));
            String engine = bundle.manifest().runtime().equals("onnx") ? "ONNX" : "TFLite";
            ClassifierOptions twoThreads = ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(2, 1));
            try (Classifier classifier = new Classifier(bundle, twoThreads)) {
                for (Map.Entry<String, Path> image : images.entrySet()) {
                    byte[] bytes = Files.readAllBytes(image.getValue());
                    for (int i = 0; i < WARMUP; i++) {
                        classifier.classify(bytes, 5);
                    }
                    // Rounds alternate between ours and the peer, so a change in the machine's load hits both.
                    int perRound = Math.max(1, runs / ROUNDS);
                    double[] total = new double[perRound * ROUNDS];
                    double[] pre = new double[total.length];
                    double[] inference = new double[total.length];
                    double[][] peer = new double[3][ROUNDS];
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i = 0; i < perRound; i++) {
                            int at = round * perRound + i;
                            long s = System.nanoTime();
                            var c = classifier.classify(bytes, 5);
                            total[at] = (System.nanoTime() - s) / 1e6;
                            pre[at] = c.timings().decodeMillis() + c.timings().preprocessMillis();
                            inference[at] = c.timings().inferenceMillis();
                        }
                        JsonNode figures = peer(peerDir, peerModel, image.getValue(), perRound);
                        peer[0][round] = figures.get("e2e_median_ms").asDouble();
                        peer[1][round] = figures.get("decode_preprocess_median_ms").asDouble();
                        peer[2][round] = figures.get("inference_median_ms").asDouble();
                    }
                    double ours = Percentiles.of(total).median();
                    double theirs = Percentiles.of(peer[0]).median();
                    String row = image.getKey() + " ours " + engine;
                    md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                            row, ours, Percentiles.of(pre).median(), Percentiles.of(inference).median(), theirs,
                            Percentiles.of(peer[1]).median(), Percentiles.of(peer[2]).median(), ours / theirs));
                    csv.add(String.format(Locale.ROOT, "%s,%.2f,%.2f,%.2f", row.replace(',', ' '), ours, theirs,
                            ours / theirs));
                }
            }
        }

        if (starts == 0) {
            write(out, csv, md);
            deleteTree(work);
            return 0;
        }
        md.append(String.format(Locale.ROOT, """

                ## Process start to the first classification (dataset JPEG), median of %d starts

                Ours: a fresh JVM runs the function package (%s) under the Lambda Runtime Interface Client, which
                fetches one API Gateway event (the JPEG, base64) from a loopback Runtime API and posts the answer;
                timed from process creation to the answer. Peer: its own first_ms (Node start, module and model
                load, first answer). Starts alternate between variants. After its first answer each JVM handles
                %d more events one at a time: the median of their handler time (Runtime API hand-out to
                response, as Lambda bills it) shows what the options cost once warm.

                | variant | median ms | all starts ms | then warm: handler median ms |
                |---|---|---|---|
                """, starts, function, WARM_INVOCATIONS));
        Path runtime = LambdaSandbox.prepare(function, Files.createDirectories(work.resolve("layer"))).runtimeDir();
        Path archive = work.resolve("function.jsa");
        String event = restEvent(Files.readAllBytes(datasetJpeg));
        start(function, runtime, event, List.of("-XX:ArchiveClassesAtExit=" + archive), work, 0, true);
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("ours, template options (-XX:TieredStopAtLevel=1)", TEMPLATE_OPTIONS);
        variants.put("ours, JVM defaults", List.of());
        variants.put("ours, template options + AppCDS archive", concat(TEMPLATE_OPTIONS,
                List.of("-XX:SharedArchiveFile=" + archive)));
        variants.put("ours, AppCDS archive", List.of("-XX:SharedArchiveFile=" + archive));
        Map<String, double[]> times = new LinkedHashMap<>();
        Map<String, double[]> warmTimes = new LinkedHashMap<>();
        variants.keySet().forEach(v -> times.put(v, new double[starts]));
        variants.keySet().forEach(v -> warmTimes.put(v, new double[starts]));
        double[] peerFirst = new double[starts];
        for (int i = 0; i < starts; i++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                Start s = start(function, runtime, event, v.getValue(), work, WARM_INVOCATIONS, false);
                times.get(v.getKey())[i] = s.firstMillis();
                warmTimes.get(v.getKey())[i] = s.warmMedianMillis();
            }
            peerFirst[i] = peer(peerDir, peerModel, datasetJpeg, 1).get("first_ms").asDouble();
        }
        double peerMedian = Percentiles.of(peerFirst).median();
        double best = Double.MAX_VALUE;
        for (Map.Entry<String, double[]> t : times.entrySet()) {
            double median = Percentiles.of(t.getValue()).median();
            best = Math.min(best, median);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %.1f |%n", t.getKey(), median, list(t.getValue()),
                    Percentiles.of(warmTimes.get(t.getKey())).median()));
        }
        md.append(String.format(Locale.ROOT, "| peer (first_ms) | %.0f | %s | |%n", peerMedian, list(peerFirst)));
        for (String variant : List.of("ours, template options + AppCDS archive",
                "ours, template options (-XX:TieredStopAtLevel=1)")) {
            double median = Percentiles.of(times.get(variant)).median();
            csv.add(String.format(Locale.ROOT, "start to first classification (dataset JPEG) %s,%.0f,%.0f,%.2f",
                    variant.replace(',', ';'), median, peerMedian, median / peerMedian));
        }
        md.append(String.format(Locale.ROOT, "%nFastest of ours / peer: %.2f; load average %s at the end%n",
                best / peerMedian, loadAverage()));

        write(out, csv, md);
        deleteTree(work);
        return 0;
    }

    /** The 1, 5 and 15 minute load averages, where the OS says (Linux). */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void write(Path out, List<String> csv, StringBuilder md) throws IOException {
        Files.write(out.resolve("peer-comparison.csv"), csv);
        Files.writeString(out.resolve("peer-comparison.md"), md);
        System.out.print(md);
        System.out.println(String.join("\n", csv));
    }

    /** ../shared's 1280x720 cat scaled to 2400x1350 (bicubic) and saved as JPEG quality 90: about 430 KB. */
    static byte[] photo2400x1350() throws IOException {
        Path cat = Path.of(System.getProperty("shared.dir", "../shared"), "models/imagenet/cat_720p.jpg");
        BufferedImage src = ImageIO.read(cat.toFile());
        BufferedImage big = new BufferedImage(2400, 1350, BufferedImage.TYPE_3BYTE_BGR);
        var g = big.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(src, 0, 0, 2400, 1350, null);
        } finally {
            g.dispose();
        }
        return DecodeAgreement.jpeg(big, 0.9f);
    }

    private static JsonNode peer(Path peerDir, Path model, Path image, int runs) throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", peerDir.resolve("bench.js").toString(), model.toString(),
                image.toString(), String.valueOf(runs), "2").redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(10, TimeUnit.MINUTES) || node.exitValue() != 0) {
            throw new IOException("the peer failed: " + output);
        }
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        return Json.mapper().readTree(last);
    }

    /** Time to the first answer, and the median of the warm invocations after it (as the Runtime API sees them). */
    private record Start(double firstMillis, double warmMedianMillis) {
    }

    /**
     * Starts a function JVM, times its first answer, then sends {@code warm} more events one at a time; a dump
     * run ends the JVM with SIGTERM and waits, so it writes its class-data-sharing archive.
     */
    private static Start start(Path function, Path runtime, String event, List<String> jvmOptions, Path work,
                               int warm, boolean dump) throws IOException, InterruptedException {
        Path log = work.resolve("function.log");
        try (RuntimeApiEmulator api = new RuntimeApiEmulator(Duration.ofMinutes(2))) {
            List<String> command = new ArrayList<>(List.of(ChildJvm.java()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-Dorg.bytedeco.javacpp.pathsFirst=true",
                    "-Djava.library.path=" + function.resolve("native").toAbsolutePath(),
                    "-Donnxruntime.native.path=" + function.resolve("native").toAbsolutePath(),
                    "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                            + runtime.resolve("libaws-lambda-jni.so"),
                    "-cp", runtime + "/*:" + function.resolve("lib").toAbsolutePath() + "/*",
                    RuntimeApiEmulator.RIC_MAIN, RuntimeApiEmulator.HANDLER));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
            pb.environment().put("MODEL_BUNDLE", function.resolve("model").toAbsolutePath().toString());
            pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "clothes-classifier");
            api.offer(new RuntimeApiEmulator.Event(UUID.randomUUID().toString(), event));
            long start = System.nanoTime();
            Process jvm = pb.start();
            try {
                check(api.take(Duration.ofMinutes(2)), log);
                double first = (System.nanoTime() - start) / 1e6;
                double[] handler = new double[warm];
                for (int i = 0; i < warm; i++) {
                    api.offer(new RuntimeApiEmulator.Event(UUID.randomUUID().toString(), event));
                    handler[i] = check(api.take(Duration.ofMinutes(2)), log).handlerMillis();
                }
                if (dump) {
                    jvm.destroy(); // SIGTERM: the JVM exits normally and writes the archive
                    jvm.waitFor(2, TimeUnit.MINUTES);
                }
                return new Start(first, warm == 0 ? Double.NaN : Percentiles.of(handler).median());
            } finally {
                jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static RuntimeApiEmulator.Result check(RuntimeApiEmulator.Result result, Path log) throws IOException {
        if (result.error() != null || !result.response().matches("(?s).*\"statusCode\"\\s*:\\s*200.*")) {
            throw new IOException("the function did not answer 200: " + result + "\n" + Files.readString(log));
        }
        return result;
    }

    private static String restEvent(byte[] jpeg) throws IOException {
        return Json.mapper().writeValueAsString(RestEvent.predict("image/jpeg",
                Base64.getEncoder().encodeToString(jpeg), true, UUID.randomUUID().toString()));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String list(double[] values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return s.toString();
    }
}
