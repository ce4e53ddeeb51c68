package dev.clothes.lambda.infra;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * infra/deploy.sh refuses early, with exit 2 and a message saying what is missing, before it packages
 * anything. It runs under bash with PATH holding only bash (and, where asked, a stand-in sam), HOME an
 * empty directory and no AWS_* variables, so the outcome does not depend on this machine's setup.
 */
class DeployScriptTest {

    private record Run(int exit, String out, String err) {
    }

    @TempDir
    Path temp;
    private Path bin;
    private Path home;
    private Path samCalled;

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        return Files.exists(dir.resolve("infra")) ? dir : dir.getParent();
    }

    @BeforeEach
    void isolatedPath() throws Exception {
        Path bash = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "bash")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("bash not on PATH; infra/deploy.sh needs it"));
        bin = Files.createDirectories(temp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("bash"), bash.toRealPath());
        home = Files.createDirectories(temp.resolve("home"));
        samCalled = temp.resolve("sam-was-called");
    }

    /** A sam that only records being run: deploy.sh must stop at the credentials check before using it. */
    private void installFakeSam() throws Exception {
        Path sam = bin.resolve("sam");
        Files.writeString(sam, "#!" + bin.resolve("bash") + "\necho \"$@\" >> '" + samCalled + "'\n");
        Files.setPosixFilePermissions(sam, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run deploy(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(bin.resolve("bash").toString(),
                root().resolve("infra/deploy.sh").toString()));
        command.addAll(List.of(args));
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", bin.toString(), "HOME", home.toString()));
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("infra/deploy.sh " + String.join(" ", args) + " did not finish within 30 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void noArgumentsPrintsUsageAndExits2() throws Exception {
        Run run = deploy(Map.of());
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("BUNDLE is missing").contains("Usage: infra/deploy.sh BUNDLE");
    }

    @Test
    void helpPrintsUsageAndSucceeds() throws Exception {
        Run run = deploy(Map.of(), "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Usage: infra/deploy.sh BUNDLE [--arch x86_64|arm64]");
    }

    @Test
    void unknownOptionPrintsUsageAndExits2() throws Exception {
        Run run = deploy(Map.of(), "bundle", "--force");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown option '--force'").contains("Usage:");
    }

    @Test
    void badArchitectureIsNamedAndExits2() throws Exception {
        Run run = deploy(Map.of(), "bundle", "--arch", "sparc");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--arch must be x86_64 or arm64, got 'sparc'");
    }

    @Test
    void anOpenEndpointIsAnExplicitChoiceWithAWarning() throws Exception {
        Run open = deploy(Map.of(), "bundle", "--auth", "NONE");
        assertThat(open.err()).contains("WARNING: --auth NONE deploys an open POST /predict");
        Run keyed = deploy(Map.of(), "bundle");
        assertThat(keyed.err()).doesNotContain("WARNING");
        Run bad = deploy(Map.of(), "bundle", "--auth", "OPEN");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--auth must be API_KEY, IAM or NONE, got 'OPEN'");
    }

    @Test
    void parametersAreKeyValueAndAuthHasItsOwnOption() throws Exception {
        Run noValue = deploy(Map.of(), "bundle", "--parameter", "ReservedConcurrency");
        assertThat(noValue.exit()).isEqualTo(2);
        assertThat(noValue.err()).contains("--parameter needs KEY=VALUE, got 'ReservedConcurrency'");
        Run auth = deploy(Map.of(), "bundle", "--parameter", "Auth=NONE");
        assertThat(auth.exit()).isEqualTo(2);
        assertThat(auth.err()).contains("set Auth with --auth");
    }

    @Test
    void missingSamSaysHowToInstallIt() throws Exception {
        Run run = deploy(Map.of(), "bundle", "--arch", "arm64");
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("sam (the AWS SAM CLI) is not installed: pip install aws-sam-cli")
                .contains("https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/"
                        + "install-sam-cli.html");
    }

    @Test
    void missingCredentialsStopBeforePackaging() throws Exception {
        installFakeSam();
        Run run = deploy(Map.of("AWS_REGION", "eu-west-1"), "bundle");
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("no AWS credentials");
        assertThat(run.out()).isEmpty();
        assertThat(samCalled).doesNotExist();
    }

    @Test
    void credentialsFileCountsButARegionIsStillRequired() throws Exception {
        installFakeSam();
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "[default]\n");
        Run run = deploy(Map.of(), "bundle");
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).doesNotContain("credentials")
                .contains("no AWS region: pass --region REGION or set AWS_REGION");
        assertThat(samCalled).doesNotExist();
    }
}
