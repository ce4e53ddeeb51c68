package dev.clothes.inference.bundle;

import dev.clothes.inference.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model with everything needed to use it: the model file, labels, {@code bundle.json}
 * (runtime, tensors, preprocessing, provenance), optional metrics, and {@code checksums.sha256}
 * over all of them. Stored as a flat directory or as a zip of that directory.
 * Loaded bundles are verified and held in memory, so what runs is exactly what was checked.
 */
public final class ModelBundle {

    public static final String MANIFEST_FILE = "bundle.json";
    /** Model files are far below this; anything bigger is not a bundle we made. */
    private static final long MAX_FILE_BYTES = 2L << 30;

    private final BundleManifest manifest;
    private final List<String> labels;
    private final byte[] model;
    private final JsonNode metrics;
    /** The out-of-distribution scorers' arrays, when the manifest names a file for them. */
    private final byte[] oodData;
    private final String source;
    private final String sha256;

    /** @param sha256 of {@code checksums.sha256} as stored, or null to compute it from the contents */
    private ModelBundle(BundleManifest manifest, List<String> labels, byte[] model, JsonNode metrics, byte[] oodData,
                        String source, String sha256) {
        this.manifest = manifest;
        this.labels = List.copyOf(labels);
        this.model = model;
        this.metrics = metrics;
        this.oodData = oodData;
        this.source = source;
        validate();
        this.sha256 = sha256 != null ? sha256 : Checksums.sha256(contents().get(Checksums.FILE_NAME));
    }

    /** A new bundle from its parts; {@code metrics} may be null. */
    public static ModelBundle of(BundleManifest manifest, List<String> labels, byte[] model, JsonNode metrics) {
        return of(manifest, labels, model, metrics, null);
    }

    /**
     * A new bundle from its parts; {@code metrics} may be null, {@code oodData} is the file the
     * manifest's out-of-distribution section names (null when it names none).
     */
    public static ModelBundle of(BundleManifest manifest, List<String> labels, byte[] model, JsonNode metrics,
                                 byte[] oodData) {
        BundleManifest m = manifest.withMetricsFile(metrics == null ? null : "metrics.json");
        return new ModelBundle(m, labels, model.clone(), metrics == null ? null : metrics.deepCopy(),
                oodData == null ? null : oodData.clone(), "(in memory)", null);
    }

    /** Loads and verifies a bundle directory or {@code .zip}. */
    public static ModelBundle load(Path path) {
        return loadWhileVerifying(path, bundle -> bundle);
    }

    /**
     * Loads a bundle directory or {@code .zip} and hands it to {@code use} while its checksums are still being
     * verified on another thread: hashing a 10 MB model costs a cold start 60-90 ms before the JIT has compiled
     * SHA-256, as long as building a runtime from it. {@code use}'s result is returned only once every file
     * matched; otherwise it is closed (when {@link AutoCloseable}) and the mismatch thrown. {@code use} must
     * not let the bundle escape other than through its result.
     */
    public static <T> T loadWhileVerifying(Path path, Function<ModelBundle, T> use) {
        Map<String, byte[]> files;
        try {
            files = Files.isDirectory(path) ? readDirectory(path) : readZip(path);
        } catch (NoSuchFileException e) {
            throw new BundleException("no model bundle at " + path + " (expected a directory or .zip with "
                    + MANIFEST_FILE + ")");
        } catch (IOException e) {
            throw new BundleException("cannot read model bundle " + path + ": " + e.getMessage(), e);
        }
        Unverified unverified = fromFiles(files, path.toString());
        T result = mismatchFirst(unverified.verification(), () -> use.apply(unverified.bundle()));
        try {
            unverified.verification().run();
        } catch (BundleException mismatch) {
            if (result instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    mismatch.addSuppressed(e);
                }
            }
            throw mismatch;
        }
        return result;
    }

    /** A bundle parsed from its files, and what checks them against {@code checksums.sha256} (throws if not). */
    private record Unverified(ModelBundle bundle, Runnable verification) {
    }

    /** {@code step}'s result; when it fails, a modified file is the cause worth reporting, the failure attached. */
    private static <T> T mismatchFirst(Runnable verification, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            try {
                verification.run();
            } catch (BundleException mismatch) {
                mismatch.addSuppressed(e);
                throw mismatch;
            }
            throw e;
        }
    }

    private static Unverified fromFiles(Map<String, byte[]> files, String source) {
        byte[] sums = files.get(Checksums.FILE_NAME);
        if (sums == null) {
            throw new BundleException(source + " has no " + Checksums.FILE_NAME + "; it is not a model bundle "
                    + "or it is incomplete");
        }
        Map<String, String> expected = Checksums.parse(new String(sums, StandardCharsets.UTF_8));
        // Hashing runs on its own thread from here, beside parsing and whatever the caller builds from the bundle.
        CompletableFuture<Map<String, String>> digests = CompletableFuture.supplyAsync(() -> {
            Map<String, String> got = new HashMap<>();
            expected.keySet().stream().filter(files::containsKey)
                    .forEach(name -> got.put(name, Checksums.sha256(files.get(name))));
            return got;
        }, task -> {
            Thread thread = new Thread(task, "bundle-checksums");
            thread.setDaemon(true);
            thread.start();
        });
        BundleManifest manifest = parseManifest(required(files, MANIFEST_FILE, source), source);
        if (manifest.formatVersion() != BundleManifest.FORMAT_VERSION) {
            throw new BundleException(source + " has bundle format " + manifest.formatVersion()
                    + "; this build reads format " + BundleManifest.FORMAT_VERSION);
        }
        List<String> needed = new ArrayList<>(List.of(MANIFEST_FILE, manifest.modelFile(), manifest.labelsFile()));
        if (manifest.metricsFile() != null) {
            needed.add(manifest.metricsFile());
        }
        String oodFile = oodFile(manifest);
        if (oodFile != null) {
            needed.add(oodFile);
        }
        for (String name : needed) {
            required(files, name, source);
            if (!expected.containsKey(name)) {
                throw new BundleException(source + ": " + name + " is not listed in " + Checksums.FILE_NAME);
            }
        }
        Runnable verification = () -> {
            Map<String, String> computed = digests.join();
            for (String name : needed) {
                String want = expected.get(name);
                String got = computed.get(name);
                if (!got.equals(want)) {
                    throw new BundleException(source + ": " + name + " does not match its checksum (expected " + want
                            + ", got " + got + "); the file was modified or truncated");
                }
            }
        };
        ModelBundle bundle = mismatchFirst(verification, () -> {
            List<String> labels = new String(files.get(manifest.labelsFile()), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
            JsonNode metrics = null;
            if (manifest.metricsFile() != null) {
                try {
                    metrics = Json.mapper().readTree(files.get(manifest.metricsFile()));
                } catch (IOException e) {
                    throw new BundleException(source + ": " + manifest.metricsFile() + " is not valid JSON", e);
                }
            }
            return new ModelBundle(manifest, labels, files.get(manifest.modelFile()), metrics,
                    oodFile == null ? null : files.get(oodFile), source, Checksums.sha256(sums));
        });
        return new Unverified(bundle, verification);
    }

    private static String oodFile(BundleManifest manifest) {
        return manifest.outOfDistribution() == null ? null : manifest.outOfDistribution().file();
    }

    private void validate() {
        if (labels.isEmpty()) {
            throw new BundleException(source + ": the labels file " + manifest.labelsFile() + " is empty");
        }
        if (labels.size() != manifest.output().elementCount()) {
            throw new BundleException(source + ": " + labels.size() + " labels but the model output "
                    + manifest.output().name() + " has " + manifest.output().elementCount() + " classes "
                    + manifest.output().shape());
        }
        if (manifest.input().elementCount() != manifest.preprocessing().tensorLength()) {
            throw new BundleException(source + ": input " + manifest.input().shape() + " does not match the "
                    + "preprocessing size " + manifest.preprocessing().width() + "x" + manifest.preprocessing().height());
        }
        if (model.length == 0) {
            throw new BundleException(source + ": the model file " + manifest.modelFile() + " is empty");
        }
        if ((oodFile(manifest) == null) != (oodData == null)) {
            throw new BundleException(source + ": the out-of-distribution file " + oodFile(manifest)
                    + (oodData == null ? " is missing" : " is not named in " + MANIFEST_FILE));
        }
        if (oodData != null && oodData.length % Float.BYTES != 0) {
            throw new BundleException(source + ": " + oodFile(manifest) + " has " + oodData.length
                    + " bytes, not a whole number of float32 values");
        }
    }

    /** Writes this bundle as a directory (created if missing; files of the same names are replaced). */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> file : contents().entrySet()) {
            Path target = dir.resolve(file.getKey());
            Path tmp = dir.resolve(file.getKey() + ".tmp");
            Files.write(tmp, file.getValue());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Writes this bundle as a single zip file. */
    public void writeZip(Path zip) throws IOException {
        Path parent = zip.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".bundle", ".zip");
        try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : contents().entrySet()) {
                z.putNextEntry(new ZipEntry(file.getKey()));
                z.write(file.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every file of the bundle by name, checksums last. */
    private Map<String, byte[]> contents() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            files.put(MANIFEST_FILE, Json.mapper().writeValueAsBytes(manifest));
            files.put(manifest.modelFile(), model);
            files.put(manifest.labelsFile(), (String.join("\n", labels) + "\n").getBytes(StandardCharsets.UTF_8));
            if (metrics != null) {
                files.put(manifest.metricsFile(), Json.mapper().writeValueAsBytes(metrics));
            }
            if (oodData != null) {
                files.put(oodFile(manifest), oodData);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest records always serialise", e);
        }
        Map<String, String> sums = new LinkedHashMap<>();
        files.forEach((name, data) -> sums.put(name, Checksums.sha256(data)));
        files.put(Checksums.FILE_NAME, Checksums.encode(sums));
        return files;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public List<String> labels() {
        return labels;
    }

    /** A copy of the model file's bytes. */
    public byte[] modelBytes() {
        return model.clone();
    }

    public long modelSize() {
        return model.length;
    }

    public String modelSha256() {
        return Checksums.sha256(model);
    }

    /**
     * The sha256 of {@code checksums.sha256}, which lists every file's sha256: one digest for the whole
     * bundle (model, labels, manifest, metrics), what {@code sha256sum checksums.sha256} prints.
     */
    public String sha256() {
        return sha256;
    }

    public Optional<JsonNode> metrics() {
        return Optional.ofNullable(metrics).map(JsonNode::deepCopy);
    }

    /** The out-of-distribution scorers' arrays (a copy), when the bundle has such a file. */
    public Optional<byte[]> outOfDistributionData() {
        return Optional.ofNullable(oodData).map(byte[]::clone);
    }

    /** A copy with other metrics (e.g. after evaluation). */
    public ModelBundle withMetrics(JsonNode newMetrics) {
        return of(manifest, labels, model, newMetrics, oodData);
    }

    /** A copy with another manifest (same model, labels, metrics and out-of-distribution file). */
    public ModelBundle withManifest(BundleManifest newManifest) {
        return of(newManifest, labels, model, metrics, oodData);
    }

    /** A copy with other out-of-distribution scorers ({@code data} is the file {@code config} names, or null). */
    public ModelBundle withOutOfDistribution(OutOfDistributionConfig config, byte[] data) {
        return of(manifest.withOutOfDistribution(config), labels, model, metrics, data);
    }

    /** Where the bundle was loaded from, for messages. */
    public String source() {
        return source;
    }

    private static BundleManifest parseManifest(byte[] json, String source) {
        try {
            JsonNode tree = Json.mapper().readTree(json);
            if (tree == null || tree.isNull() || tree.isMissingNode()) {
                // Found by fuzzing: the JSON literal `null` reads as no manifest at all.
                throw new BundleException(source + ": " + MANIFEST_FILE + " is empty or null, not a manifest");
            }
            return ManifestReader.read(tree);
        } catch (JsonProcessingException e) {
            // Record constructors' validation messages arrive wrapped; show the root cause.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root == e ? e.getOriginalMessage() : root.getMessage();
            throw new BundleException(source + ": " + MANIFEST_FILE + " is not a valid manifest: " + why, e);
        } catch (IOException e) {
            throw new BundleException(source + ": cannot read " + MANIFEST_FILE + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BundleException(source + ": " + MANIFEST_FILE + " is not a valid manifest: " + e.getMessage(), e);
        }
    }

    private static byte[] required(Map<String, byte[]> files, String name, String source) {
        byte[] data = files.get(name);
        if (data == null) {
            throw new BundleException(source + " is missing " + name);
        }
        return data;
    }

    private static Map<String, byte[]> readDirectory(Path dir) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (var entries = Files.list(dir)) {
            for (Path file : (Iterable<Path>) entries::iterator) {
                if (Files.isRegularFile(file)) {
                    if (Files.size(file) > MAX_FILE_BYTES) {
                        throw new BundleException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
                    }
                    files.put(file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    private static Map<String, byte[]> readZip(Path zip) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = z.getNextEntry()) != null; ) {
                String name = entry.getName();
                // Bundles are flat; anything with a path is not ours and never touches the file system.
                if (entry.isDirectory() || name.contains("/") || name.contains("\\")) {
                    continue;
                }
                byte[] data = z.readNBytes((int) Math.min(MAX_FILE_BYTES, Integer.MAX_VALUE - 8));
                if (z.read() != -1) {
                    throw new BundleException(zip + ": entry " + name + " is too large");
                }
                files.put(name, data);
            }
        } catch (java.util.zip.ZipException e) {
            throw new BundleException(zip + " is not a readable zip: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new BundleException(zip + " is neither a bundle directory nor a bundle zip");
        }
        return files;
    }

    @Override
    public String toString() {
        return "ModelBundle[" + manifest.name() + " " + manifest.version() + " (" + manifest.runtime() + ") from "
                + source + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelBundle b && manifest.equals(b.manifest) && labels.equals(b.labels)
                && java.util.Arrays.equals(model, b.model) && Objects.equals(metrics, b.metrics)
                && java.util.Arrays.equals(oodData, b.oodData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(manifest, labels, java.util.Arrays.hashCode(model));
    }
}
