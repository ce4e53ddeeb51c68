package dev.clothes.quality.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every shell command written in the checkout's READMEs, read from their fenced blocks. A fence must
 * say what it holds: {@code sh} (commands), {@code console} (commands after {@code $ }, output
 * between), or a language that is not run ({@code text}, {@code java}, {@code json}, ...), so a new
 * command cannot slip past by being in an unmarked block.
 */
public final class ReadmeCommands {

    static final Set<String> SHELL = Set.of("sh", "console");
    static final Set<String> NOT_RUN = Set.of("text", "java", "json", "yaml", "xml", "csv", "properties");
    /** Folders that hold build output, runs or dependencies, not documentation of ours. */
    static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "runs", "bundles", "dist", "node_modules",
            ".cifuzz-corpus", ".idea", ".mvn");

    private ReadmeCommands() {
    }

    /** The READMEs of the checkout at {@code root}, relative paths, sorted. */
    static List<Path> readmes(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize)
                    .filter(p -> p.getFileName().toString().equals("README.md") && notSkipped(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean notSkipped(Path relative) {
        for (Path part : relative) {
            if (SKIPPED_DIRS.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /** Every command of every README under {@code root}. */
    public static List<ReadmeCommand> all(Path root) {
        List<ReadmeCommand> commands = new ArrayList<>();
        for (Path readme : readmes(root)) {
            try {
                commands.addAll(parse(readme, Files.readAllLines(root.resolve(readme))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return commands;
    }

    /** The commands of one README's lines; an unmarked or unknown fence is refused with its place. */
    public static List<ReadmeCommand> parse(Path readme, List<String> lines) {
        List<ReadmeCommand> commands = new ArrayList<>();
        String language = null;
        StringBuilder pending = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith("```")) {
                if (language == null) {
                    language = trimmed.substring(3).strip();
                    if (!SHELL.contains(language) && !NOT_RUN.contains(language)) {
                        throw new IllegalStateException(readme + ":" + (i + 1) + ": a fenced block must say what it"
                                + " holds (```sh for commands, ```console for $-prompted commands with output,"
                                + " ```text for output, or a language), got '```" + language + "'");
                    }
                } else {
                    if (pending != null) {
                        throw new IllegalStateException(readme + ":" + pendingLine + ": the block ends inside a"
                                + " command continued with \\");
                    }
                    language = null;
                }
                continue;
            }
            if (language == null || !SHELL.contains(language)) {
                continue;
            }
            String command;
            if (pending != null) {
                command = line;
            } else if (language.equals("console")) {
                if (!trimmed.startsWith("$ ")) {
                    continue; // output
                }
                command = trimmed.substring(2);
                pendingLine = i + 1;
            } else {
                command = line;
                pendingLine = i + 1;
            }
            command = withoutComment(command).strip();
            if (command.endsWith("\\")) {
                pending = (pending == null ? new StringBuilder() : pending)
                        .append(command, 0, command.length() - 1).append(' ');
                continue;
            }
            if (pending != null) {
                command = pending.append(command).toString().strip();
                pending = null;
            }
            if (!command.isEmpty()) {
                commands.add(new ReadmeCommand(readme, pendingLine, command));
            }
        }
        if (language != null) {
            throw new IllegalStateException(readme + ": a fenced block is never closed");
        }
        return commands;
    }

    /** The line up to a {@code #} that starts a comment (after a blank, outside quotes). */
    static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
