package dev.clothes.lambda.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Lays out the Lambda function package from the function's runtime jars and a model bundle:
 * {@code lib/} the jars with every native library taken out, {@code native/} the target
 * architecture's native libraries (loaded in place, so a cold start extracts nothing to /tmp),
 * {@code model/} the bundle. Writes the layout to a folder and, with sorted entries and fixed
 * timestamps, to a zip. JDK only: {@code infra/package-function.sh} runs this file with the source
 * launcher, before anything else of the project is on a classpath.
 */
public final class FunctionPackager {

    /** A Lambda CPU architecture: the platform folders its natives live in and its ELF machine type. */
    public enum Arch {
        X86_64("x86_64", 0x3E, "linux-x86_64", "linux-x64"),
        ARM64("arm64", 0xB7, "linux-arm64", "linux-aarch64");

        public final String lambdaName;
        public final int elfMachine;
        private final List<String> platformFolders;

        Arch(String lambdaName, int elfMachine, String... platformFolders) {
            this.lambdaName = lambdaName;
            this.elfMachine = elfMachine;
            this.platformFolders = List.of(platformFolders);
        }

        public static Arch of(String name) {
            for (Arch arch : values()) {
                if (arch.lambdaName.equals(name)) {
                    return arch;
                }
            }
            throw new IllegalArgumentException("unknown architecture '" + name + "': use x86_64 or arm64");
        }
    }

    /** What was written, in bytes. */
    public record Summary(long zipBytes, long libBytes, long nativeBytes, long modelBytes, List<String> natives) {
        public long unzippedBytes() {
            return libBytes + nativeBytes + modelBytes;
        }
    }

    private static final Pattern NATIVE_LIBRARY = Pattern.compile("[^/]+\\.(so(\\.\\d+)*|dylib|dll|jnilib)$");
    /** A platform folder in a jar path: JavaCPP's {@code linux-x86_64/}, ONNX Runtime's {@code native/linux-x64/}. */
    private static final Pattern PLATFORM_FOLDER =
            Pattern.compile("(?:^|/)((?:linux|linux_musl|osx|macosx|win|windows|android|ios)-[a-z0-9_]+)/");
    /** Every entry's timestamp (the zip format starts in 1980), so the same inputs give the same bytes. */
    private static final FileTime FIXED_TIME = FileTime.from(java.time.Instant.parse("1980-01-02T00:00:00Z"));

    private FunctionPackager() {
    }

    /** Where the architecture's natives go. */
    public enum Natives {
        /** In {@code native/}, loaded in place: what the function ships. */
        PRE_EXTRACTED,
        /** Left inside their jars, unpacked to a cache folder at start: only to measure what pre-extraction saves. */
        IN_JARS
    }

    /**
     * @param jars   the function's runtime jars (one folder, no subfolders)
     * @param bundle the model bundle folder, checksums already verified
     * @param stage  an empty or missing folder: the unpacked package (for the container image)
     * @param zip    the package to write
     */
    public static Summary write(Path jars, Path bundle, Arch arch, Natives placement, Path stage, Path zip)
            throws IOException {
        Path lib = Files.createDirectories(stage.resolve("lib"));
        Path natives = Files.createDirectories(stage.resolve("native"));
        Path model = Files.createDirectories(stage.resolve("model"));
        List<String> nativeNames = new ArrayList<>();
        for (Path jar : list(jars)) {
            if (jar.getFileName().toString().endsWith(".jar")) {
                splitJar(jar, arch, placement, lib, natives, nativeNames);
            }
        }
        for (Path file : list(bundle)) {
            if (Files.isRegularFile(file)) {
                Files.copy(file, model.resolve(file.getFileName()));
            }
        }
        writeZip(stage, zip);
        return new Summary(Files.size(zip), size(lib), size(natives), size(model), nativeNames);
    }

    /** Copies {@code jar} to {@code lib} without natives; this architecture's natives go to {@code natives}. */
    private static void splitJar(Path jar, Arch arch, Natives placement, Path lib, Path natives,
                                 List<String> nativeNames)
            throws IOException {
        Map<String, byte[]> kept = new TreeMap<>();
        boolean shipsCode = false;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                Matcher platform = PLATFORM_FOLDER.matcher(name);
                String folder = platform.find() ? platform.group(1) : null;
                boolean library = NATIVE_LIBRARY.matcher(name).find();
                if (library && (folder == null || !arch.platformFolders.contains(folder))) {
                    if (folder == null) {
                        throw new IOException(jar.getFileName() + ": native library " + name
                                + " is in no platform folder; cannot tell its architecture");
                    }
                    continue;
                }
                if (folder != null && !arch.platformFolders.contains(folder)) {
                    continue;    // another platform's files (debug symbols, GraalVM configuration)
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (library && placement == Natives.PRE_EXTRACTED) {
                    String fileName = name.substring(name.lastIndexOf('/') + 1);
                    checkElf(fileName, bytes, arch);
                    Path target = natives.resolve(fileName);
                    if (Files.exists(target)) {
                        throw new IOException(jar.getFileName() + ": native library " + fileName
                                + " is also in another jar");
                    }
                    Files.write(target, bytes);
                    nativeNames.add(fileName);
                } else if (library) {
                    checkElf(name, bytes, arch);
                    kept.put(name, bytes);
                    nativeNames.add(name);
                    shipsCode = true;
                } else {
                    kept.put(name, bytes);
                    shipsCode |= !name.startsWith("META-INF/");
                }
            }
        }
        if (shipsCode) {    // a natives-only jar (JavaCPP's platform jars) has nothing left to ship once they are out
            try (OutputStream out = Files.newOutputStream(lib.resolve(jar.getFileName()))) {
                writeEntries(kept, out);
            }
        }
    }

    /** Refuses a library that is not a 64-bit little-endian ELF shared object for {@code arch}. */
    public static void checkElf(String name, byte[] bytes, Arch arch) throws IOException {
        if (bytes.length < 20 || bytes[0] != 0x7F || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new IOException(name + " is not an ELF file");
        }
        int machine = (bytes[18] & 0xFF) | (bytes[19] & 0xFF) << 8;
        if (bytes[4] != 2 || bytes[5] != 1 || machine != arch.elfMachine) {
            throw new IOException(String.format(Locale.ROOT, "%s is an ELF for machine 0x%X (class %d), not %s",
                    name, machine, bytes[4], arch.lambdaName));
        }
    }

    private static void writeZip(Path stage, Path zip) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (Stream<Path> files = Files.walk(stage)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                entries.put(stage.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        Files.createDirectories(zip.toAbsolutePath().getParent());
        Path partial = zip.resolveSibling(zip.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            writeEntries(entries, out);
        }
        Files.move(partial, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeEntries(Map<String, byte[]> entries, OutputStream target) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(target)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setLastModifiedTime(FIXED_TIME);
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code FunctionPackager JARS BUNDLE ARCH STAGE ZIP [--natives-in-jars]}; prints the sizes. */
    public static void main(String[] args) throws IOException {
        boolean inJars = args.length == 6 && args[5].equals("--natives-in-jars");
        if (args.length != 5 && !inJars) {
            System.err.println("usage: FunctionPackager JARS_DIR BUNDLE_DIR x86_64|arm64 STAGE_DIR ZIP [--natives-in-jars]");
            System.exit(2);
        }
        Arch arch;
        try {
            arch = Arch.of(args[2]);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Summary s = write(Path.of(args[0]), Path.of(args[1]), arch, inJars ? Natives.IN_JARS : Natives.PRE_EXTRACTED,
                Path.of(args[3]), Path.of(args[4]));
        System.out.printf(Locale.ROOT, "%s (%s): %,d bytes zipped, %,d bytes unzipped (lib %,d, native %,d, model %,d;"
                        + " Lambda limit 262,144,000)%n  natives: %s%n", args[4], arch.lambdaName, s.zipBytes(),
                s.unzippedBytes(), s.libBytes(), s.nativeBytes(), s.modelBytes(), String.join(", ", s.natives()));
    }
}
