package dev.clothes.quality.readme;

import dev.clothes.testing.Shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every command written in a README of this checkout resolves and starts from a fresh clone whose local
 * Maven repository holds none of the project's artifacts: a command that only works where the project
 * was once {@code install}ed (a test-jar, a module missing from {@code -am}) fails here. The commands are
 * read from the READMEs, so a new one is covered the day it is written.
 */
class ReadmeCommandsTest {

    private static final long COMMAND_TIMEOUT_SECONDS = 600;

    private static Path checkout() {
        return Path.of(System.getProperty("checkout.dir", "..")).toAbsolutePath().normalize();
    }

    @Test
    void everyFencedBlockSaysWhatItHoldsAndEveryCommandIsKnown() {
        List<ReadmeCommand> commands = ReadmeCommands.all(checkout());
        assertThat(commands).as("README commands").hasSizeGreaterThan(10);
        for (ReadmeCommand command : commands) {
            for (List<String> words : command.simpleCommands()) {
                ProjectCommand.of(command, words, checkout()); // throws for an unknown program
            }
        }
    }

    @Test
    void aCommandOfTheProjectIsRewrittenToItsHelp() {
        ReadmeCommand train = new ReadmeCommand(Path.of("README.md"), 1, "./mvnw -q -B -ntp -pl trainer -am compile"
                + " exec:java -Dexec.args=\"train --data ../shared/data/clothing-dataset-small --out runs/x\"");
        assertThat(ProjectCommand.of(train, train.simpleCommands().get(0), checkout()).orElseThrow().argv())
                .containsExactly("./mvnw", "-q", "-B", "-ntp", "-pl", "trainer", "-am", "compile", "exec:java",
                        "-Dexec.args=train --help");
        ReadmeCommand script = new ReadmeCommand(Path.of("README.md"), 1,
                "infra/package-function.sh runs/b --arch arm64  # the same for Graviton");
        ReadmeCommand parsed = ReadmeCommands.parse(Path.of("README.md"), List.of("```sh", script.text(), "```")).get(0);
        assertThat(ProjectCommand.of(parsed, parsed.simpleCommands().get(0), checkout()).orElseThrow().argv())
                .containsExactly("infra/package-function.sh", "--help");
        ReadmeCommand tests = new ReadmeCommand(Path.of("README.md"), 1, "./mvnw -B -ntp test");
        assertThat(ProjectCommand.of(tests, tests.simpleCommands().get(0), checkout()).orElseThrow().argv())
                .containsExactly("./mvnw", "-B", "-ntp", "test", "-DskipTests");
    }

    @Test
    void compoundCommandsContinuationsAndPromptsAreRead() {
        List<ReadmeCommand> commands = ReadmeCommands.parse(Path.of("R.md"), List.of(
                "```sh",
                "peer=$(mktemp -d) && cp a/{x,y} \"$peer\"/ && (cd \"$peer\" && npm install)",
                "./mvnw -q exec:java \\",
                "    -Dexec.args=\"a b\"   # comment",
                "```",
                "```console",
                "$ bin/inference predict b c.jpg -k 3",
                "  1. Egyptian cat  87 %",
                "```"));
        assertThat(commands).extracting(ReadmeCommand::line).containsExactly(2, 3, 7);
        assertThat(commands.get(0).simpleCommands()).extracting(w -> w.get(0))
                .containsExactly("peer=$(mktemp -d)", "cp", "cd", "npm");
        assertThat(commands.get(1).simpleCommands().get(0)).containsExactly("./mvnw", "-q", "exec:java", "-Dexec.args=a b");
        assertThat(commands.get(2).text()).isEqualTo("bin/inference predict b c.jpg -k 3");
        assertThatThrownBy(() -> ReadmeCommands.parse(Path.of("R.md"), List.of("```", "ls", "```")))
                .hasMessageContaining("R.md:1").hasMessageContaining("must say what it holds");
        ReadmeCommand unknown = new ReadmeCommand(Path.of("R.md"), 4, "hyperfine 'ls'");
        assertThatThrownBy(() -> ProjectCommand.of(unknown, unknown.simpleCommands().get(0), checkout()))
                .hasMessageContaining("R.md:4").hasMessageContaining("'hyperfine'");
    }

    @Test
    void everyProjectCommandResolvesAndStartsFromAFreshClone(@TempDir Path tmp) throws Exception {
        // Two copies run the commands two at a time (Maven starting up is mostly one core's work). Packaging
        // commands share one copy, and one command resolves the exec plugin before the other copy starts,
        // so the two never download the same plugin into the repository at once.
        List<FreshCheckout> copies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            copies.add(FreshCheckout.create(checkout(), Shared.dir(), FreshCheckout.userRepository(),
                    Files.createDirectories(tmp.resolve("copy-" + i))));
        }
        Map<List<String>, ProjectCommand> toRun = new LinkedHashMap<>();
        for (ReadmeCommand command : ReadmeCommands.all(copies.get(0).root())) {
            for (List<String> words : command.simpleCommands()) {
                ProjectCommand.of(command, words, copies.get(0).root()).ifPresent(c -> toRun.putIfAbsent(c.argv(), c));
            }
        }
        List<List<ProjectCommand>> queues = List.of(new ArrayList<>(), new ArrayList<>());
        for (ProjectCommand command : toRun.values()) {
            boolean packages = command.argv().contains("package") || !command.argv().get(0).equals("./mvnw");
            List<ProjectCommand> shorter = queues.get(0).size() <= queues.get(1).size() ? queues.get(0) : queues.get(1);
            (packages ? queues.get(0) : shorter).add(command);
        }
        List<String> report = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ProjectCommand first = queues.get(1).remove(0);
        run(copies.get(1), first, tmp.resolve("first.log"), report, failures);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int worker = w;
                done.add(workers.submit(() -> {
                    int n = 0;
                    for (ProjectCommand command : queues.get(worker)) {
                        run(copies.get(worker), command, tmp.resolve("copy-" + worker + "-" + (++n) + ".log"), report,
                                failures);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            workers.shutdownNow();
        }
        report.forEach(System.out::print);
        if (!failures.isEmpty()) {
            fail(failures.size() + " README command(s) fail from a fresh clone:\n" + String.join("\n", failures));
        }
    }

    private static void run(FreshCheckout copy, ProjectCommand command, Path log, List<String> report,
                            List<String> failures) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = copy.process(command.argv()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        report.add(String.format(Locale.ROOT, "%6.1f s  %s%n", (System.nanoTime() - start) / 1e9, command));
        if (!ended) {
            failures.add(describe(command, "did not end within " + COMMAND_TIMEOUT_SECONDS + " s", output));
        } else if (process.exitValue() != 0) {
            failures.add(describe(command, "exit code " + process.exitValue(), output));
        } else if (!output.toLowerCase(Locale.ROOT).contains(command.expects())) {
            failures.add(describe(command, "no '" + command.expects() + "' in its output", output));
        }
    }

    private static String describe(ProjectCommand command, String what, String output) {
        List<String> lines = output.lines().toList();
        return command.source() + "\n  ran: " + command + "\n  " + what + "; last lines:\n    "
                + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
