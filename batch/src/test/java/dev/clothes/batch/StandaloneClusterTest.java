package dev.clothes.batch;

import dev.clothes.batch.cluster.ScoresComparison;
import dev.clothes.batch.cluster.StandaloneCluster;
import dev.clothes.batch.cli.ScoreCommand;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.job.JobOptions;
import dev.clothes.batch.job.ScoringJob;
import dev.clothes.batch.output.ScoreOutput;
import dev.clothes.testing.Shared;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job on a real Spark standalone cluster on loopback: {@code spark-cluster.sh} starts a master and two workers
 * of one core from the module's Spark jars, the job is submitted through spark-submit's own main class and runs in
 * executor JVMs the workers start; what it writes for a folder and for a catalog with bad rows equals local mode's
 * output row for row. The two applications run at once (one core each, so one on each worker) while local mode
 * scores the same inputs in this JVM: the test takes about as long as one submission.
 */
class StandaloneClusterTest {

    private static final List<String> CLASSES = List.of("dress", "hat", "skirt");

    @TempDir
    Path tmp;

    @Test
    void theClusterWritesWhatLocalModeWrites() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        List<String> catalog = new ArrayList<>(List.of("id,location"));
        for (String c : CLASSES) {
            try (Stream<Path> photos = Files.list(Shared.dataset().resolve("test").resolve(c))) {
                for (Path photo : photos.sorted().limit(4).toList()) {
                    Path copy = Files.copy(photo, images.resolve(c + "-" + photo.getFileName()));
                    catalog.add(copy.getFileName() + "," + copy.toUri());
                }
            }
        }
        byte[] photo = Files.readAllBytes(images.resolve(catalog.get(1).split(",")[0]));
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        catalog.add("corrupt," + Files.write(bad.resolve("corrupt.jpg"), Arrays.copyOf(photo, 600)).toUri());
        catalog.add("text," + Files.writeString(bad.resolve("notes.jpg"), "not an image").toUri());
        catalog.add("missing," + bad.resolve("no-such.jpg").toUri());
        catalog.add("private,http://10.1.2.3/photo.jpg");
        catalog.add("no-host,http:///photo.jpg");
        Path table = Files.write(tmp.resolve("catalog.csv"), catalog);
        Path bundle = tmp.resolve("bundle");
        TinyBundles.tflite(CLASSES).writeTo(bundle);
        List<String> folderJob = List.of("--bundle", bundle.toString(), "--images", images.toString());
        List<String> catalogJob = List.of("--bundle", bundle.toString(), "--catalog", table.toString(), "--top-k", "2");

        List<String> submit = submitArguments();
        SparkSession spark = null;
        ExecutorService submissions = Executors.newFixedThreadPool(2);
        try (StandaloneCluster cluster = StandaloneCluster.start(Path.of("spark-cluster.sh"), tmp.resolve("cluster"),
                2, 1)) {
            // Both applications at once, one core each, so each gets one of the workers; local mode meanwhile.
            Map<String, Future<StandaloneCluster.Submission>> runs = new TreeMap<>();
            for (var job : Map.of("folder", folderJob, "catalog", catalogJob).entrySet()) {
                List<String> arguments = new ArrayList<>(submit);
                arguments.addAll(job.getValue());
                arguments.addAll(List.of("--out", tmp.resolve("cluster-" + job.getKey()).toString()));
                runs.put(job.getKey(), submissions.submit(() -> cluster.submit(arguments,
                        tmp.resolve(job.getKey() + ".log"))));
            }
            spark = SparkSession.builder().master("local[2]").appName("cluster-test-local")
                    .config("spark.ui.enabled", "false").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            ScoringJob.run(spark, JobOptions.of(bundle, new ImageSource.Folder(images.toString(),
                    ImageSource.Folder.IMAGE_GLOB), output(tmp.resolve("local-folder"))));
            ScoringJob.run(spark, JobOptions.of(bundle, new ImageSource.Catalog(table.toString(),
                    ImageSource.Catalog.Format.CSV, "id", "location"), output(tmp.resolve("local-catalog"))).withTopK(2));
            for (var run : runs.entrySet()) {
                StandaloneCluster.Submission done = run.getValue().get(5, TimeUnit.MINUTES);
                assertThat(done.exitCode()).as(done.output()).isZero();
                assertThat(done.output()).contains(run.getKey().equals("folder") ? "scored 12 images (0 errors)"
                        : "scored 17 images (5 errors)");
            }
            // The applications ran in executors the two workers started.
            for (int w = 1; w <= 2; w++) {
                try (Stream<Path> apps = Files.list(cluster.dir().resolve("work/worker-" + w))) {
                    assertThat(apps.filter(Files::isDirectory).count()).as("applications on worker %d", w).isEqualTo(1);
                }
            }

            for (String job : List.of("folder", "catalog")) {
                assertThat(ScoresComparison.differences(spark, tmp.resolve("cluster-" + job).toString(),
                        tmp.resolve("local-" + job).toString(), ScoreOutput.Format.PARQUET, 10)).as(job).isEmpty();
            }
            Map<String, String> codes = spark.read().parquet(tmp.resolve("cluster-catalog").toString())
                    .where("error_code IS NOT NULL").collectAsList().stream()
                    .collect(Collectors.toMap(r -> r.getAs("id"), r -> r.getAs("error_code")));
            assertThat(codes).containsOnly(Map.entry("corrupt", "image.corrupt"),
                    Map.entry("text", "image.unsupported-format"), Map.entry("missing", "file.not-found"),
                    Map.entry("private", "fetch.refused"), Map.entry("no-host", "fetch.invalid-url"));
        } finally {
            submissions.shutdownNow();
            if (spark != null) {
                spark.stop();
            }
        }
    }

    private static ScoreOutput output(Path path) {
        return new ScoreOutput(path.toString(), ScoreOutput.Format.PARQUET, ScoreOutput.IfExists.OVERWRITE);
    }

    /**
     * spark-submit's options and application jar for the job as the build left it: the project's classes (this
     * module's and the modules it depends on) in one jar that Spark ships to the executors, as it ships the cluster
     * jar, and the third-party jars the job needs beyond Spark as {@code local:} jars (present on every "node" of a
     * loopback cluster). The cluster jar itself is built by the package phase, after the tests.
     */
    private List<String> submitArguments() throws IOException {
        Set<String> spark = entries(System.getProperty("spark.classpath.file"));
        Set<String> job = entries(System.getProperty("job.classpath.file"));
        job.removeAll(spark);
        List<Path> classes = new ArrayList<>(List.of(Path.of("target/classes").toAbsolutePath()));
        List<String> jars = new ArrayList<>();
        for (String entry : job) {
            if (Files.isDirectory(Path.of(entry))) {
                classes.add(Path.of(entry));
            } else {
                jars.add("local:" + entry);
            }
        }
        Path app = appJar(classes, tmp.resolve("app.jar"));
        // A dozen photos: JVMs that stop at the first JIT tier and collect serially start faster (a third off a
        // submission here); the scoring is the same.
        String quickJvm = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
        return List.of("--conf", "spark.ui.enabled=false", "--conf", "spark.cores.max=1", "--driver-java-options",
                quickJvm, "--conf", "spark.executor.extraJavaOptions=" + quickJvm, "--jars", String.join(",", jars),
                app.toString());
    }

    private static Set<String> entries(String classpathFile) throws IOException {
        return new LinkedHashSet<>(Arrays.asList(Files.readString(Path.of(classpathFile)).strip().split(":")));
    }

    /** The class folders as one jar, service files merged (two engines provide the same service), main class set. */
    private static Path appJar(List<Path> folders, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ScoreCommand.class.getName());
        Map<String, StringBuilder> services = new LinkedHashMap<>();
        Set<String> written = new LinkedHashSet<>();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Path folder : folders) {
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = folder.relativize(f).toString().replace('\\', '/');
                        if (name.startsWith("META-INF/services/")) {
                            services.computeIfAbsent(name, n -> new StringBuilder()).append(Files.readString(f))
                                    .append('\n');
                        } else if (!name.equals("META-INF/MANIFEST.MF") && written.add(name)) {
                            out.putNextEntry(new JarEntry(name));
                            out.write(Files.readAllBytes(f));
                            out.closeEntry();
                        }
                    }
                }
            }
            for (Map.Entry<String, StringBuilder> service : services.entrySet()) {
                out.putNextEntry(new JarEntry(service.getKey()));
                out.write(service.getValue().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }
}
