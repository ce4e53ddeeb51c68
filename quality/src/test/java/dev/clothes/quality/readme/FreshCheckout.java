package dev.clothes.quality.readme;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A copy of the checkout as a fresh clone has it (no runs, bundles, packages or jars), {@code ../shared}
 * beside it, and a Maven repository that holds everything the user's holds except the project's own
 * artifacts ({@code dev/clothes}): what a new machine sees, without downloading the world again. The
 * repository is a folder of links into the user's, so what Maven adds lands there. The modules'
 * compiled classes are copied with their times, so Maven finds them up to date instead of compiling
 * everything again: the build that runs this test has just compiled the same sources from scratch;
 * what is checked here is what a command resolves and starts.
 */
public record FreshCheckout(Path root, Path repository) {

    /** Local state a clone does not have. */
    private static final Set<String> NOT_IN_A_CLONE = Set.of(".git", "runs", "bundles", "dist",
            "node_modules", ".cifuzz-corpus", ".idea");
    /** What is kept of a module's {@code target}: compiled classes and the compilers' bookkeeping. */
    private static final Set<String> KEPT_BUILD_OUTPUT = Set.of("classes", "test-classes", "maven-status",
            "generated-sources", "generated-test-sources", "protobuf-maven-plugin");

    /** The user's local Maven repository, as the build that runs the tests names it. */
    public static Path userRepository() {
        return Path.of(System.getProperty("user.repository", System.getProperty("user.home") + "/.m2/repository"));
    }

    /** @param shared what {@code ../shared} of the copy is (the real one, or a smaller one a test made) */
    public static FreshCheckout create(Path checkout, Path shared, Path userRepository, Path into) throws IOException {
        Path root = into.resolve("checkout");
        copy(checkout, root);
        Files.createSymbolicLink(into.resolve("shared"), shared.toAbsolutePath());
        Path repository = Files.createDirectories(into.resolve("m2"));
        if (Files.isDirectory(userRepository)) {
            linkAllBut(userRepository, repository, Path.of("dev", "clothes"));
        }
        return new FreshCheckout(root, repository);
    }

    /** A process in the copy that sees its Maven repository (what the project's own artifacts are missing from). */
    public ProcessBuilder process(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        // C1 only and the serial collector halve the CPU a short Maven run takes; what it resolves is the same.
        builder.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dmaven.repo.local="
                + repository);
        builder.environment().remove("JAZZER_FUZZ");
        return builder;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && NOT_IN_A_CLONE.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Path parent = dir.getParent();
                if (parent != null && parent.getFileName().toString().equals("target")
                        && !KEPT_BUILD_OUTPUT.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getParent().getFileName().toString().equals("target")) {
                    return FileVisitResult.CONTINUE; // jars and reports
                }
                Path target = to.resolve(from.relativize(file).toString());
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                if (isBookkeeping(from.relativize(file))) {
                    // The compilers list their inputs by absolute path: the copy's own, or they rebuild everything.
                    FileTime time = Files.getLastModifiedTime(target);
                    Files.writeString(target, Files.readString(target).replace(from.toString(), to.toString()));
                    Files.setLastModifiedTime(target, time);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A file in which a plugin recorded the paths it compiled ({@code .lst}, {@code .json}, {@code .txt} under target). */
    private static boolean isBookkeeping(Path relative) {
        String name = relative.getFileName().toString();
        boolean inTarget = false;
        for (Path part : relative) {
            inTarget |= part.toString().equals("target");
        }
        return inTarget && (name.endsWith(".lst") || name.endsWith(".json") || name.endsWith(".txt"))
                && !relative.toString().contains("classes/");
    }

    /** Links every entry of {@code from} into {@code to}, descending only along {@code left out}'s path. */
    private static void linkAllBut(Path from, Path to, Path leftOut) throws IOException {
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.equals(leftOut.getName(0).toString())) {
                    if (leftOut.getNameCount() > 1 && Files.isDirectory(entry)) {
                        Path sub = Files.createDirectories(to.resolve(name));
                        linkAllBut(entry, sub, leftOut.subpath(1, leftOut.getNameCount()));
                    }
                } else {
                    Files.createSymbolicLink(to.resolve(name), entry.toAbsolutePath());
                }
            }
        }
    }
}
