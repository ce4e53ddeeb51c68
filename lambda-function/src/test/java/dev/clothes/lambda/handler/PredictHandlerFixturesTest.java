package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.OutOfDistributionConfig;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.ScorerSpec;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.json.Json;
import dev.clothes.inference.runtime.tflite.TfliteBundles;
import dev.clothes.testing.Shared;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per folder under {@code src/test/resources/events/}: the handler gets {@code request.json}
 * with a Lambda context and must answer what {@code response.json} says (see {@link JsonFixture} for
 * the placeholders). Real classifier (stock MobileNetV2 ImageNet model from ../shared), the deployed
 * URL policy (public addresses only), no network: URL cases are refused before any connection.
 *
 * <p>Request files stay small: {@code <base64:NAME>} stands for the base64 of
 * ../shared/models/imagenet/NAME and {@code <base64-of-zero-bytes:N>} for N zero bytes in base64;
 * {@code <base64-mime:NAME>} is the same base64 with a line break every 76 characters (as the
 * {@code base64} command writes it, escaped for a JSON string) and {@code <base64-multipart:NAME>} the
 * base64 of a multipart/form-data upload of the file as field {@code image}, boundary {@link #BOUNDARY}.
 * On a mismatch the actual response is written to target/fixture-actual/CASE/response.json for review.
 */
class PredictHandlerFixturesTest {

    private static final Pattern SHARED_IMAGE = Pattern.compile("<base64:([A-Za-z0-9_.-]+)>");
    private static final Pattern ZERO_BYTES = Pattern.compile("<base64-of-zero-bytes:(\\d+)>");
    private static final Pattern NOISE_PNG = Pattern.compile("<base64-of-noise-png:(\\d+)>");
    private static final Pattern MIME_IMAGE = Pattern.compile("<base64-mime:([A-Za-z0-9_.-]+)>");
    private static final Pattern MULTIPART_IMAGE = Pattern.compile("<base64-multipart:([A-Za-z0-9_.-]+)>");
    /** The boundary of {@code <base64-multipart:NAME>} bodies; their Content-Type header names it. */
    static final String BOUNDARY = "----clothes-form-7MA4YWxkTrZu0gW";

    private static Classifier classifier;
    private static PredictHandler handler;
    private static Classifier unsureClassifier;
    private static PredictHandler unsureHandler;

    @BeforeAll
    static void setUp() throws Exception {
        Path models = Shared.dir().resolve("models/imagenet");
        ModelBundle bundle = TfliteBundles.wrap(Files.readAllBytes(models.resolve("mobilenet_v2_1.0_224_quant.tflite")),
                Files.readAllLines(models.resolve("imagenet_labels.txt")), "mobilenet-v2-imagenet", "1", null,
                Postprocessing.PROBABILITIES, null);
        classifier = new Classifier(bundle, ClassifierOptions.DEFAULT);
        handler = new PredictHandler(classifier, fetcher());
        unsureClassifier = new Classifier(bundle.withOutOfDistribution(new OutOfDistributionConfig(null, "msp",
                List.of(new ScorerSpec("msp", 0.5, null, null))), null), ClassifierOptions.DEFAULT);
        unsureHandler = new PredictHandler(unsureClassifier, fetcher());
    }

    private static ImageFetcher fetcher() {
        return new ImageFetcher(new FetchLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 10L << 20, 3, false),
                new PublicAddressPolicy(false));
    }

    @AfterAll
    static void tearDown() {
        classifier.close();
        unsureClassifier.close();
    }

    /** The handler's two doors: the one Lambda's runtime calls, and the map one the local endpoint and tests call. */
    enum Entry { STREAM, MAP }

    static Stream<Arguments> cases() throws Exception {
        return casesUnder("/events");
    }

    static Stream<Arguments> oodCases() throws Exception {
        return casesUnder("/events-ood");
    }

    private static Stream<Arguments> casesUnder(String root) throws Exception {
        URL events = PredictHandlerFixturesTest.class.getResource(root);
        try (Stream<Path> entries = Files.list(Path.of(events.toURI()))) {
            List<String> names = entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).as("fixture cases under " + root).isNotEmpty();
            return names.stream().flatMap(n -> Stream.of(Entry.values()).map(e -> Arguments.of(n, e)));
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("cases")
    void handlerAnswersTheFixture(String name, Entry entry) throws Exception {
        answers(handler, "/events/" + name, false, entry);
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("oodCases")
    void handlerWithAnOutOfDistributionScorerAnswersTheFixture(String name, Entry entry) throws Exception {
        answers(unsureHandler, "/events-ood/" + name, true, entry);
    }

    private static void answers(PredictHandler handler, String fixture, boolean scorer, Entry entry) throws Exception {
        Path dir = Path.of(PredictHandlerFixturesTest.class.getResource(fixture).toURI());
        String name = dir.getFileName().toString();
        Map<String, Object> event = request(dir.resolve("request.json"));
        JsonNode expected = Json.mapper().readTree(Files.readString(dir.resolve("response.json")));
        TestLambdaContext context = new TestLambdaContext();

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        JsonNode actual;
        try {
            actual = switch (entry) {
                case MAP -> asJson(Json.mapper().valueToTree(handler.handleRequest(event, context)));
                case STREAM -> {
                    ByteArrayOutputStream answer = new ByteArrayOutputStream();
                    handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)), answer, context);
                    yield asJson((ObjectNode) Json.mapper().readTree(answer.toByteArray()));
                }
            };
        } finally {
            System.setOut(original);
        }
        List<String> differences = JsonFixture.differences(expected, actual);
        if (!differences.isEmpty()) {
            Path out = Files.createDirectories(Path.of("target/fixture-actual", name)).resolve("response.json");
            Files.writeString(out, Json.mapper().writeValueAsString(actual));
        }
        assertThat(differences).as("%s differs from events/%s/response.json (actual in target/fixture-actual)",
                name, name).isEmpty();

        // The id callers and CloudWatch see is Lambda's, not API Gateway's and not a generated one.
        JsonNode body = actual.has("statusCode") ? actual.get("body") : actual;
        assertThat(body.get("requestId").asText()).isEqualTo(context.getAwsRequestId());
        if (actual.has("statusCode")) {
            assertThat(actual.get("headers").get("X-Request-Id").asText()).isEqualTo(context.getAwsRequestId());
        }
        // One structured log line per request, whichever channel it goes to, carrying the same id and status.
        List<JsonNode> lines = new ArrayList<>();
        for (String line : (stdout.toString(StandardCharsets.UTF_8) + "\n" + context.logged()).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.mapper().readTree(line));
            }
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("requestId").asText()).isEqualTo(context.getAwsRequestId());
        int status = actual.has("statusCode") ? actual.get("statusCode").asInt() : body.path("status").asInt(200);
        assertThat(lines.get(0).get("status").asInt()).isEqualTo(status);
        RequestLogLines.check(name, lines.get(0), event, status, body, scorer);
    }

    /** The request fixture with its image placeholders expanded. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> request(Path file) throws Exception {
        String text = Files.readString(file);
        text = replace(SHARED_IMAGE, text, m -> Base64.getEncoder().encodeToString(
                Shared.read(Shared.imagenet(m.group(1)))));
        text = replace(ZERO_BYTES, text, m -> Base64.getEncoder().encodeToString(
                new byte[Integer.parseInt(m.group(1))]));
        text = replace(NOISE_PNG, text, m -> Base64.getEncoder().encodeToString(noisePng(Long.parseLong(m.group(1)))));
        text = replace(MIME_IMAGE, text, m -> new String(Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                .encode(Shared.read(Shared.imagenet(m.group(1)))), StandardCharsets.US_ASCII).replace("\n", "\\n"));
        text = replace(MULTIPART_IMAGE, text, m -> Base64.getEncoder().encodeToString(
                multipart(m.group(1), Shared.read(Shared.imagenet(m.group(1))))));
        return Json.mapper().readValue(text, Map.class);
    }

    /** What a browser sends for a form with one file input named "image". */
    static byte[] multipart(String fileName, byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + fileName
                + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static byte[] noisePng(long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> value) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value.apply(m)));
        }
        return m.appendTail(out).toString();
    }

    /** The response as JSON; an API Gateway response's body must be a JSON string, compared parsed. */
    /** The response with an API Gateway body (a string) read as the JSON it holds. */
    private static JsonNode asJson(ObjectNode tree) throws Exception {
        if (tree.has("statusCode")) {
            assertThat(tree.get("body").isTextual()).as("API Gateway needs body as a string").isTrue();
            tree.set("body", Json.mapper().readTree(tree.get("body").asText()));
        }
        return tree;
    }
}
