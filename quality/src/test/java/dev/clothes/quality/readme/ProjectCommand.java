package dev.clothes.quality.readme;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the README test runs for one simple command: the project's own programs ({@code ./mvnw} and
 * executables in the checkout) rewritten to start and stop at their help, or, for Maven goals that are
 * not a program, the goals as written without running tests. Programs that are not the project's are
 * named in {@link #EXTERNAL} and not run; any other program fails the test, so a README cannot name a
 * command nobody checks.
 *
 * @param source  the README command it comes from
 * @param argv    what to run, relative to the checkout
 * @param expects a word the output must contain (case-insensitive), or empty
 */
record ProjectCommand(ReadmeCommand source, List<String> argv, String expects) {

    /** Programs that are not the project's: cloud CLIs, the endpoint's HTTP clients, file tools. */
    static final Set<String> EXTERNAL = Set.of("curl", "aws", "sam", "spark-submit", "npm", "node", "ls", "cp", "cd",
            "zip", "mktemp", "sha256sum", "docker", "base64", "cat", "git");

    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    /** A subcommand word (train, bundle, create): what stays before {@code --help}. */
    private static final Pattern SUBCOMMAND = Pattern.compile("[a-z][a-z0-9-]*");

    /**
     * The command to run for {@code words} (one simple command of {@code source}), empty when its
     * program is external.
     *
     * @throws IllegalStateException for a program that is neither the project's nor known as external
     */
    static Optional<ProjectCommand> of(ReadmeCommand source, List<String> words, Path checkout) {
        int first = 0;
        while (first < words.size() && ASSIGNMENT.matcher(words.get(first)).matches()) {
            first++;
        }
        if (first == words.size()) {
            return Optional.empty(); // a variable assignment; a $(...) inside it is shell, not ours
        }
        String program = words.get(first);
        List<String> args = words.subList(first + 1, words.size());
        if (program.equals("./mvnw")) {
            return Optional.of(maven(source, args));
        }
        if (!program.startsWith("/") && !program.startsWith("$") && Files.isRegularFile(checkout.resolve(program))) {
            List<String> argv = new ArrayList<>();
            argv.add(program);
            argv.addAll(subcommands(args));
            argv.add("--help");
            return Optional.of(new ProjectCommand(source, argv, "usage"));
        }
        if (EXTERNAL.contains(program)) {
            return Optional.empty();
        }
        throw new IllegalStateException(source + "\n  runs '" + program + "', which is neither a program of the"
                + " checkout nor a known external one (" + EXTERNAL + "): make it a project command or add it there");
    }

    private static ProjectCommand maven(ReadmeCommand source, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add("./mvnw");
        if (args.contains("exec:java")) {
            boolean seen = false;
            for (String arg : args) {
                if (arg.startsWith("-Dexec.args=")) {
                    List<String> words = List.of(arg.substring("-Dexec.args=".length()).strip().split("\\s+"));
                    List<String> kept = new ArrayList<>(subcommands(words));
                    kept.add("--help");
                    argv.add("-Dexec.args=" + String.join(" ", kept));
                    seen = true;
                } else {
                    argv.add(arg);
                }
            }
            if (!seen) {
                argv.add("-Dexec.args=--help");
            }
            return new ProjectCommand(source, argv, "usage");
        }
        argv.addAll(args);
        if (args.contains("test") || args.contains("verify")) {
            argv.add("-DskipTests"); // resolves and compiles what the tests need; running them is CI's own job
        }
        return new ProjectCommand(source, argv, "");
    }

    /** The leading subcommand words of a program's arguments. */
    static List<String> subcommands(List<String> args) {
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            if (!SUBCOMMAND.matcher(arg).matches()) {
                break;
            }
            words.add(arg);
        }
        return words;
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
