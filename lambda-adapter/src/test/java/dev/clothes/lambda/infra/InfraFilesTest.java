package dev.clothes.lambda.infra;

import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SAM template and the Dockerfile name a handler that exists and the artifacts the build produces. */
class InfraFilesTest {

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        return Files.exists(dir.resolve("infra")) ? dir : dir.getParent();
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("'%s' in the file", regex).isTrue();
        return m.group(1);
    }

    @Test
    void templateAndImageNameTheRealHandlerAndArtifacts() throws Exception {
        String template = Files.readString(root().resolve("infra/template.yaml"));
        String dockerfile = Files.readString(root().resolve("infra/Dockerfile"));
        String script = Files.readString(root().resolve("infra/package-function.sh"));

        String handler = match(template, "^\\s+Handler:\\s*(\\S+)\\s*$");
        assertThat(dockerfile).contains("CMD [\"" + handler + "\"]");
        String[] parts = handler.split("::");
        Class<?> type = Class.forName(parts[0]);
        assertThat(RequestHandler.class).isAssignableFrom(type);
        assertThat(type.getMethod(parts[1], java.util.Map.class, com.amazonaws.services.lambda.runtime.Context.class))
                .isNotNull();
        assertThat(type.getConstructor()).as("Lambda needs a no-argument constructor").isNotNull();

        assertThat(match(template, "^\\s+CodeUri:\\s*(\\S+)\\s*$")).isEqualTo("../dist/function.zip");
        assertThat(script).contains("dist/function.zip").contains("lambda-adapter-*-function.jar");
        assertThat(match(template, "^\\s+Runtime:\\s*(\\S+)\\s*$")).isIn("java17", "java21");
        assertThat(template).contains("MODEL_BUNDLE: /var/task/model").contains("ApplyOn: PublishedVersions")
                .contains("Path: /predict").contains("Method: post").contains("image~1*");

        String version = match(Files.readString(root().resolve("pom.xml")), "<version>([^<]+)</version>");
        assertThat(dockerfile).contains("lambda-adapter/target/lambda-adapter-" + version + "-function.jar");
        String pom = Files.readString(root().resolve("lambda-adapter/pom.xml"));
        assertThat(pom).contains("<shadedClassifierName>function</shadedClassifierName>");
    }
}
