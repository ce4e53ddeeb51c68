package dev.clothes.inference.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.json.Json;
import dev.clothes.testing.Shared;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class InferenceCliTest {

    @TempDir
    Path tmp;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = InferenceCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path createBundle(String name) {
        Path out = tmp.resolve(name);
        Run create = run("bundle", "create",
                "--model", Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite").toString(),
                "--labels", Shared.imagenet("imagenet_labels.txt").toString(),
                "--out", out.toString(), "--name", "mobilenet-v2-imagenet");
        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out()).contains("wrote", "UINT8", "1001 labels");
        return out;
    }

    @Test
    void createVerifyAndPredictAsJson() throws Exception {
        Path bundle = createBundle("bundle.zip");
        Run verify = run("bundle", "verify", bundle.toString());
        assertThat(verify.exitCode()).isZero();
        assertThat(verify.out()).contains("OK:", "mobilenet-v2-imagenet");

        Path notAnImage = Files.writeString(tmp.resolve("notes.txt"), "hello");
        Run predict = run("predict", bundle.toString(), Shared.imagenet("cat_720p.jpg").toString(),
                notAnImage.toString(), tmp.toString(), "--json", "-k", "3");
        assertThat(predict.exitCode()).as("two inputs failed").isEqualTo(1);
        JsonNode results = Json.mapper().readTree(predict.out());
        assertThat(results).hasSize(3);
        assertThat(results.get(2).get("error").asText()).contains("is a folder");
        assertThat(results.get(0).get("predictions")).hasSize(3);
        assertThat(results.get(0).get("predictions").get(0).get("label").asText()).isEqualTo("Egyptian cat");
        assertThat(results.get(0).get("timingsMs").get("inference").asDouble()).isPositive();
        assertThat(results.get(1).get("error").asText()).contains("not a supported image");
    }

    @Test
    void tamperedBundleIsAOneLineError() throws Exception {
        Path bundle = createBundle("dir");
        Files.writeString(bundle.resolve("labels.txt"), "cat\n");
        Run predict = run("predict", bundle.toString(), Shared.imagenet("cat_720p.jpg").toString());
        assertThat(predict.exitCode()).isEqualTo(2);
        assertThat(predict.err()).startsWith("error: ").contains("labels.txt does not match its checksum")
                .doesNotContain("Exception");
    }

    @Test
    void helpExplainsEveryCommand() {
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("predict", "bundle", "bench", "Start here");
        Run predictHelp = run("predict", "--help");
        assertThat(predictHelp.out()).contains("BUNDLE", "--top", "--json", "http(s) URLs");
        Run usage = run("predict");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required parameter");
    }
}
