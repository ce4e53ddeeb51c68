package dev.clothes.batch;

import dev.clothes.batch.cli.ScoreCommand;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line before Spark starts: help, and option values refused with the bad value. */
class ScoreCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = ScoreCommand.commandLine();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpShowsTheInputsAndAnExample() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--bundle", "--images", "--catalog", "--out", "--if-exists",
                "--threads-per-task", "--commit-every", "--allow-loopback-urls", "Examples:");
    }

    @Test
    void badValuesAreUsageErrorsThatEchoTheValue() {
        assertThat(run("--bundle", "b", "--images", "d", "--out", "o", "--top-k", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("top-k must be within 1..1000, got 0");
        assertThat(run("--bundle", "b", "--images", "d", "--catalog", "c", "--out", "o")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
        assertThat(run("--bundle", "b", "--images", "d", "--out", "o", "--if-exists", "sometimes")).isEqualTo(2);
        assertThat(err.toString()).contains("sometimes");
        assertThat(run("--bundle", "b", "--images", "d", "--out", "o", "--commit-every", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("rows per commit must be at least 1, got 0");
    }
}
