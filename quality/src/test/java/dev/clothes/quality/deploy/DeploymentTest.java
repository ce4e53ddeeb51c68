package dev.clothes.quality.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.json.Json;
import dev.clothes.lambda.deploy.CfnTemplate;
import dev.clothes.lambda.deploy.FunctionPackager;
import dev.clothes.lambda.local.LambdaSandbox;
import dev.clothes.lambda.local.RestEvent;
import dev.clothes.lambda.local.RuntimeApiEmulator;
import dev.clothes.quality.pipeline.TinyTrainedBundle;
import dev.clothes.quality.readme.FreshCheckout;
import dev.clothes.quality.readme.ReadmeCommand;
import dev.clothes.quality.readme.ReadmeCommands;
import dev.clothes.testing.Shared;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's deployment path, run as a user runs it: a tiny trained model in a copy of the checkout
 * (beside a small {@code ../shared}), the README's convert command, then its package commands for both
 * architectures, verbatim. The zips they write are the template's {@code CodeUri}; each holds only the
 * function and one architecture's natives; the x86_64 one runs in a Lambda-like sandbox under the real
 * Runtime Interface Client, SnapStart hooks included, and answers a real API Gateway event.
 */
class DeploymentTest {

    @TempDir
    static Path tmp;
    static FreshCheckout fresh;
    static Path checkout;
    static Map<String, Path> zips = new java.util.LinkedHashMap<>();
    static CfnTemplate template;

    @BeforeAll
    static void followTheReadme() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path shared = tmp.resolve("tiny-shared");
        Path data = Shared.tinyDataset(shared.resolve("data/clothing-dataset-small"), List.of("hat", "pants"), 4, 2, 3);
        Files.createSymbolicLink(shared.resolve("models"), Shared.dir().resolve("models"));
        fresh = FreshCheckout.create(root, shared, FreshCheckout.userRepository(), tmp);
        checkout = fresh.root();
        Path trained = TinyTrainedBundle.shared().bundle();
        copyTree(trained, checkout.resolve("runs/mobilenet-v2/bundle"));

        List<String> commands = ReadmeCommands.parse(Path.of("README.md"), Files.readAllLines(root.resolve("README.md")))
                .stream().map(ReadmeCommand::text).toList();
        String convert = commands.stream().filter(c -> c.contains("-pl converter") && c.contains("--to tflite"))
                .findFirst().orElseThrow(() -> new AssertionError("README has no convert command"));
        run(convert, "convert");
        template = CfnTemplate.parse("infra/template.yaml", Files.readString(checkout.resolve("infra/template.yaml")));
        Path codeUri = checkout.resolve("infra").resolve(String.valueOf(template.map("Resources",
                template.onlyResource("AWS::Serverless::Function"), "Properties").get("CodeUri"))).normalize();
        List<String> packaging = commands.stream().filter(c -> c.startsWith("infra/package-function.sh")).toList();
        assertThat(packaging).as("README package commands").hasSize(2);
        for (String command : packaging) {
            String arch = command.contains("--arch arm64") ? "arm64" : "x86_64";
            run(command, "package-" + arch);
            assertThat(codeUri).as("the template's CodeUri after '%s'", command).exists();
            zips.put(arch, Files.copy(codeUri, tmp.resolve("function-" + arch + ".zip")));
        }
    }

    @Test
    void readmeCommandsMeet() throws Exception {
        Path converted = checkout.resolve("runs/mobilenet-v2/converted/tflite-float32");
        assertThat(converted.resolve("bundle.json")).as("the convert command writes what the package command reads").exists();
        try (ZipFile zip = new ZipFile(zips.get("x86_64").toFile())) {
            for (String file : List.of("bundle.json", "labels.txt", "model.tflite", "checksums.sha256")) {
                try (InputStream in = zip.getInputStream(zip.getEntry("model/" + file))) {
                    assertThat(in.readAllBytes()).as(file).isEqualTo(Files.readAllBytes(converted.resolve(file)));
                }
            }
        }
    }

    @Test
    void eachZipHoldsOnlyItsArchitecturesNatives() throws Exception {
        for (Map.Entry<String, Path> e : zips.entrySet()) {
            FunctionPackager.Arch arch = FunctionPackager.Arch.of(e.getKey());
            List<String> natives = new ArrayList<>();
            try (ZipFile zip = new ZipFile(e.getValue().toFile())) {
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    byte[] bytes;
                    try (InputStream in = zip.getInputStream(entry)) {
                        bytes = in.readAllBytes();
                    }
                    if (entry.getName().matches(".*\\.(so(\\.\\d+)*|dylib|dll|jnilib)$")) {
                        assertThat(entry.getName()).startsWith("native/");
                        assertThat(elfMachine(bytes)).as("%s in the %s zip", entry.getName(), arch.lambdaName)
                                .isEqualTo(arch.elfMachine);
                        natives.add(entry.getName());
                    }
                    if (entry.getName().endsWith(".jar")) {
                        assertThat(nativesInside(bytes)).as("natives inside %s", entry.getName()).isEmpty();
                    }
                }
            }
            assertThat(natives).as(arch.lambdaName).containsExactlyInAnyOrder(
                    "native/libjnijavacpp.so", "native/libjnitensorflowlite.so",
                    // libjpeg-turbo for JPEGs decoded smaller, through Leptonica (with its OpenMP runtime).
                    "native/libjnilept.so", "native/liblept.so.5", "native/libgomp.so.1");
        }
    }

    @Test
    void zipHoldsOnlyTheFunction() throws Exception {
        Set<String> forbidden = Set.of("picocli/", "dev/clothes/inference/cli/", "dev/clothes/lambda/local/",
                "dev/clothes/lambda/deploy/", "com/amazonaws/services/lambda/runtime/api/client/", "ai/onnxruntime/",
                "org/deeplearning4j/", "org/nd4j/", "dev/clothes/trainer/", "dev/clothes/converter/", "dev/clothes/graphexport/",
                "dev/clothes/cli/");
        try (ZipFile zip = new ZipFile(zips.get("x86_64").toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                assertThat(entry.getName()).matches("(lib/[^/]+\\.jar|native/[^/]+|model/[^/]+)");
                if (entry.getName().endsWith(".jar")) {
                    try (ZipInputStream jar = new ZipInputStream(zip.getInputStream(entry))) {
                        for (ZipEntry inner; (inner = jar.getNextEntry()) != null; ) {
                            String name = inner.getName();
                            assertThat(forbidden).as("%s in %s", name, entry.getName())
                                    .noneMatch(name::startsWith);
                        }
                    }
                }
            }
            assertThat(zip.getEntry("lib/lambda-function-0.1.0-SNAPSHOT.jar")).isNotNull();
        }
    }

    @Test
    void zipRunsInALambdaLikeSandbox() throws Exception {
        Path task = tmp.resolve("sandbox/task");
        unzip(zips.get("x86_64"), task);
        LambdaSandbox sandbox = LambdaSandbox.prepare(task, tmp.resolve("sandbox"));
        LambdaSandbox.FunctionConfig config = LambdaSandbox.FunctionConfig.fromTemplate(template, 64);
        byte[] jpeg;
        try (Stream<Path> hats = Files.list(tmp.resolve("shared/data/clothing-dataset-small/test/hat"))) {
            jpeg = Files.readAllBytes(hats.sorted().findFirst().orElseThrow());
        }
        String event = Json.mapper().writeValueAsString(RestEvent.predict("image/jpeg",
                Base64.getEncoder().encodeToString(jpeg), true, "api-gateway-request"));
        Path log = tmp.resolve("sandbox/function.log");
        try (RuntimeApiEmulator api = new RuntimeApiEmulator(Duration.ofSeconds(30))) {
            api.offer(new RuntimeApiEmulator.Event("8476a536-e9f4-11e8-9739-2dfe598c3fcd", event));
            Process process = sandbox.start(config, api.address(), true, log);
            RuntimeApiEmulator.Result result;
            long rssKb;
            try {
                result = api.take(Duration.ofSeconds(120));
                rssKb = rssKb(LambdaSandbox.jvm(process));
            } finally {
                process.descendants().forEach(ProcessHandle::destroy);
                process.waitFor(20, TimeUnit.SECONDS);
            }
            String output = Files.readString(log);
            assertThat(result.error()).as(output).isNull();
            assertThat(api.restoreRequested()).as("SnapStart: restore/next after the checkpoint hooks").isTrue();
            assertThat(output).as("the priming inference in the checkpoint hook")
                    .contains("\"requestId\":\"snapstart-prime\",\"status\":200");
            JsonNode response = Json.mapper().readTree(result.response());
            assertThat(response.path("statusCode").asInt()).as(output).isEqualTo(200);
            JsonNode body = Json.mapper().readTree(response.path("body").asText());
            assertThat(body.path("requestId").asText()).isEqualTo("8476a536-e9f4-11e8-9739-2dfe598c3fcd");
            assertThat(body.path("predictions").get(0).path("label").asText()).isIn("hat", "pants");
            assertThat(LambdaSandbox.writes(output)).as("files the function left in /tmp").isEmpty();
            assertThat(rssKb / 1024).as("RSS (MB) within MemorySize").isLessThan(config.memoryMb());
        }
    }

    private static void run(String command, String name) throws IOException, InterruptedException {
        Path log = tmp.resolve(name + ".log");
        Process process = fresh.process(List.of("bash", "-c", command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("'" + command + "' took over 15 minutes:\n" + Files.readString(log));
        }
        assertThat(process.exitValue()).as("'%s' in a copy of the checkout:%n%s", command, Files.readString(log))
                .isZero();
    }

    private static int elfMachine(byte[] bytes) {
        assertThat(bytes.length).isGreaterThan(20);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ELF");
        assertThat(bytes[4]).as("ELF class 64-bit").isEqualTo((byte) 2);
        return (bytes[18] & 0xFF) | (bytes[19] & 0xFF) << 8;
    }

    private static List<String> nativesInside(byte[] jar) throws IOException {
        List<String> found = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().matches(".*\\.(so(\\.\\d+)*|dylib|dll|jnilib)$")) {
                    found.add(e.getName());
                }
            }
        }
        return found;
    }

    private static long rssKb(ProcessHandle jvm) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(jvm.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for " + jvm.pid());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                Path to = target.resolve(e.getName()).normalize();
                Files.createDirectories(to.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, to);
                }
            }
        }
    }
}
