package dev.clothes.cli;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import static org.assertj.core.api.Assertions.assertThat;

class UserErrorHandlerTest {

    private record Run(int exitCode, String err) {
    }

    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {

        @Option(names = "--threads", defaultValue = "1")
        int threads;

        @Spec
        CommandSpec spec;

        private final Supplier<Exception> error;

        Fail(Supplier<Exception> error) {
            this.error = error;
        }

        @Override
        public Integer call() throws Exception {
            UserErrorHandler.fromOptions(spec, () -> new RuntimeOptions(threads, 1));
            if (error != null) {
                throw error.get();
            }
            return 0;
        }
    }

    private static Run run(Supplier<Exception> error, String... args) {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Fail(error)).setExecutionExceptionHandler(new UserErrorHandler())
                .setErr(new PrintWriter(err)).execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void aUserFacingErrorIsOneLineAndExitTwo() {
        Run bundle = run(() -> new BundleException("bundle/labels.txt does not match its checksum"));
        assertThat(bundle.exitCode()).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(bundle.err()).isEqualTo("error: bundle/labels.txt does not match its checksum" + System.lineSeparator());

        Run fetch = run(() -> new FetchException(FetchException.Kind.TIMEOUT, "http://example.com/a.jpg took too long"));
        assertThat(fetch.exitCode()).isEqualTo(2);
        assertThat(fetch.err()).isEqualTo("error: http://example.com/a.jpg took too long" + System.lineSeparator());
    }

    @Test
    void ioErrorsAboutTheUsersFilesAreOneLineToo() {
        assertThat(run(() -> new NoSuchFileException("photo.jpg")).err()).isEqualTo("error: no such file: photo.jpg"
                + System.lineSeparator());
        Run folder = run(() -> new IOException("images is a folder; pass image files or http(s) URLs"));
        assertThat(folder.exitCode()).isEqualTo(2);
        assertThat(folder.err()).startsWith("error: images is a folder");
    }

    @Test
    void anythingElseIsABugWithItsFullStackTrace() {
        Run bug = run(() -> new IllegalArgumentException("index -1 out of range"));
        assertThat(bug.exitCode()).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(bug.err()).doesNotStartWith("error: ")
                .contains("java.lang.IllegalArgumentException: index -1 out of range")
                .contains("\tat " + Fail.class.getName() + ".call(");
    }

    @Test
    void aRecordRefusingAnOptionValueIsAUsageError() {
        Run usage = run(null, "--threads", "0");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).startsWith("invalid option value: threads and poolSize must be within 1..64")
                .contains("Usage: fail");
    }
}
