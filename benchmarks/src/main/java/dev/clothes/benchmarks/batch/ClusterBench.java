package dev.clothes.benchmarks.batch;

import dev.clothes.benchmarks.machine.Load;
import dev.clothes.batch.cluster.ScoresComparison;
import dev.clothes.batch.cluster.StandaloneCluster;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.job.JobOptions;
import dev.clothes.batch.job.JobSummary;
import dev.clothes.batch.job.ScoringJob;
import dev.clothes.batch.output.ScoreOutput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The job on a Spark standalone cluster on loopback against local mode, in one run: {@code spark-cluster.sh}
 * starts a master and workers, the cluster jar scores a folder and a catalog with bad rows through spark-submit,
 * then the same two runs go through local mode on as many cores, and every output row of the cluster is compared
 * with local mode's. Writes a Markdown report with both rates, the load average, and the comparison.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores a folder and a catalog (its photos plus bad rows) with the cluster jar on a standalone "
                + "cluster on loopback (spark-cluster.sh) and in local mode on as many cores; reports images/s and "
                + "compares the outputs row for row.", "", "Options:"})
public final class ClusterBench implements Callable<Integer> {

    private static final Pattern SUMMARY = Pattern.compile(
            "scored ([\\d,]+) images \\(([\\d,]+) errors\\) in ([\\d.]+) s: ([\\d.]+) images/s");

    @Option(names = "--bundle", required = true, description = "Model bundle (directory or zip).")
    Path bundle;

    @Option(names = "--images", required = true, description = "Folder scored, recursively.")
    Path images;

    @Option(names = "--catalog-images", required = true,
            description = "Folder whose photos (as file: paths) make the catalog, with five bad rows added.")
    Path catalogImages;

    @Option(names = "--jar", defaultValue = "batch/target/batch-0.1.0-SNAPSHOT-spark.jar",
            description = "The cluster jar (default: ${DEFAULT-VALUE}; ./mvnw -q -B -ntp -pl batch -am -Pcluster-jar "
                    + "package -DskipTests).")
    Path jar;

    @Option(names = "--script", defaultValue = "batch/spark-cluster.sh", description = "default: ${DEFAULT-VALUE}")
    Path script;

    @Option(names = "--workers", defaultValue = "2", description = "Workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--cores", defaultValue = "1", description = "Cores per worker (default: ${DEFAULT-VALUE}).")
    int cores;

    @Option(names = "--work", description = "Folder for the outputs and the cluster (default: a new temporary one).")
    Path work;

    @Option(names = "--out", required = true, description = "Markdown report to write.")
    Path out;

    private record Rate(long rows, long errors, double seconds, double submissionSeconds, double load) {
        double perSecond() {
            return rows / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "no cluster jar at " + jar
                    + "; build it with ./mvnw -q -B -ntp -pl batch -am -Pcluster-jar package -DskipTests");
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("cluster-bench");
        Path catalog = catalog(dir);
        String start = Instant.now().toString();
        double loadAtStart = Load.oneMinute();
        List<String> folderJob = List.of("--bundle", bundle.toAbsolutePath().toString(), "--images",
                images.toAbsolutePath().toString());
        List<String> catalogJob = List.of("--bundle", bundle.toAbsolutePath().toString(), "--catalog",
                catalog.toString());

        Rate clusterFolder;
        Rate clusterCatalog;
        try (StandaloneCluster cluster = StandaloneCluster.start(script, dir.resolve("cluster"), workers, cores)) {
            clusterFolder = submit(cluster, folderJob, dir.resolve("cluster-folder"), dir.resolve("folder.log"));
            clusterCatalog = submit(cluster, catalogJob, dir.resolve("cluster-catalog"), dir.resolve("catalog.log"));
        }
        String master = "local[" + workers * cores + "]";
        List<String> folderDiff;
        List<String> catalogDiff;
        Rate localFolder;
        Rate localCatalog;
        try (SparkSession spark = SparkSession.builder().master(master).appName("cluster-bench-local")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            spark.sparkContext().setLogLevel("WARN");
            localFolder = local(spark, new ImageSource.Folder(images.toAbsolutePath().toString(),
                    ImageSource.Folder.IMAGE_GLOB), dir.resolve("local-folder"));
            localCatalog = local(spark, new ImageSource.Catalog(catalog.toString(), ImageSource.Catalog.Format.CSV,
                    "id", "location"), dir.resolve("local-catalog"));
            folderDiff = ScoresComparison.differences(spark, dir.resolve("cluster-folder").toString(),
                    dir.resolve("local-folder").toString(), ScoreOutput.Format.PARQUET, 10);
            catalogDiff = ScoresComparison.differences(spark, dir.resolve("cluster-catalog").toString(),
                    dir.resolve("local-catalog").toString(), ScoreOutput.Format.PARQUET, 10);
        }

        StringBuilder md = new StringBuilder("# The job on a Spark standalone cluster against local mode\n\n");
        md.append("- date: ").append(start).append('\n');
        md.append(String.format(Locale.ROOT, "- machine: %d cores, Java %s, load average %.2f at the start and %.2f at "
                        + "the end%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                loadAtStart, Load.oneMinute()));
        md.append("- bundle: ").append(bundle).append("; cluster jar: ").append(jar).append(" (")
                .append(String.format(Locale.ROOT, "%,d", Files.size(jar))).append(" bytes)\n");
        md.append(String.format(Locale.ROOT, "- cluster: a master and %d workers x %d core on 127.0.0.1 "
                + "(batch/spark-cluster.sh), the job submitted by spark-submit's main class in client mode; local "
                + "mode: %s in one JVM%n", workers, cores, master));
        md.append("- folder: ").append(images).append("; catalog: the photos of ").append(catalogImages)
                .append(" as file: paths plus 5 bad rows (corrupt JPEG, text file, missing file, private URL, URL "
                        + "without a host)\n\n");
        md.append("| run | rows | errors | job seconds | images/s | whole submission, s | load (1 min) |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        row(md, "cluster, folder", clusterFolder);
        row(md, "cluster, catalog", clusterCatalog);
        row(md, "local, folder", localFolder);
        row(md, "local, catalog", localCatalog);
        md.append(String.format(Locale.ROOT, "%nCluster / local, folder: %.2f. Job seconds are the job's own summary "
                + "line (listing to last commit); a submission adds the driver JVM, Spark's start and the executors' "
                + "launch.%n%n", clusterFolder.perSecond() / localFolder.perSecond()));
        md.append("Identical output, row for row (every column of every id, floats compared exactly):\n\n");
        md.append("- folder: ").append(verdict(folderDiff, clusterFolder.rows())).append('\n');
        md.append("- catalog: ").append(verdict(catalogDiff, clusterCatalog.rows())).append('\n');
        Files.writeString(out, md);
        System.out.print(md);
        return folderDiff.isEmpty() && catalogDiff.isEmpty() ? 0 : 1;
    }

    private Rate submit(StandaloneCluster cluster, List<String> job, Path output, Path log) throws IOException {
        double load = Load.oneMinute();
        List<String> arguments = new ArrayList<>(List.of(jar.toAbsolutePath().toString()));
        arguments.addAll(job);
        arguments.addAll(List.of("--out", output.toString()));
        StandaloneCluster.Submission run = cluster.submit(arguments, log);
        Matcher m = SUMMARY.matcher(run.output());
        if (run.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException("the submission failed (exit " + run.exitCode() + "):\n" + run.output());
        }
        System.out.println(m.group());
        return new Rate(Long.parseLong(m.group(1).replace(",", "")), Long.parseLong(m.group(2).replace(",", "")),
                Double.parseDouble(m.group(3)), run.seconds(), load);
    }

    private Rate local(SparkSession spark, ImageSource source, Path output) {
        double load = Load.oneMinute();
        JobSummary summary = ScoringJob.run(spark, JobOptions.of(bundle, source,
                new ScoreOutput(output.toString(), ScoreOutput.Format.PARQUET, ScoreOutput.IfExists.OVERWRITE)));
        System.out.println(summary.line());
        return new Rate(summary.rows(), summary.errors(), summary.seconds(), Double.NaN, load);
    }

    /** The catalog's photos as file: URIs, and five rows that cannot be scored. */
    private Path catalog(Path dir) throws IOException {
        List<String> lines = new ArrayList<>(List.of("id,location"));
        List<Path> photos;
        try (Stream<Path> files = Files.walk(catalogImages)) {
            photos = files.filter(Files::isRegularFile).map(f -> f.toAbsolutePath().normalize()).sorted().toList();
        }
        for (Path photo : photos) {
            lines.add(catalogImages.toAbsolutePath().normalize().relativize(photo) + "," + photo.toUri());
        }
        Path bad = Files.createDirectories(dir.resolve("bad"));
        byte[] first = Files.readAllBytes(photos.get(0));
        lines.add("bad/corrupt," + Files.write(bad.resolve("corrupt.jpg"), Arrays.copyOf(first, first.length / 3)).toUri());
        lines.add("bad/text," + Files.writeString(bad.resolve("notes.jpg"), "not an image").toUri());
        lines.add("bad/missing," + bad.resolve("no-such.jpg").toUri());
        lines.add("bad/private,http://10.1.2.3/photo.jpg");
        lines.add("bad/no-host,http:///photo.jpg");
        return Files.write(dir.resolve("catalog.csv"), lines);
    }

    private static void row(StringBuilder md, String name, Rate rate) {
        md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.1f | %.1f | %s | %.2f |%n", name, rate.rows(),
                rate.errors(), rate.seconds(), rate.perSecond(),
                Double.isNaN(rate.submissionSeconds()) ? "" : String.format(Locale.ROOT, "%.1f", rate.submissionSeconds()),
                rate.load()));
    }

    private static String verdict(List<String> differences, long rows) {
        return differences.isEmpty() ? String.format(Locale.ROOT, "identical (%,d rows)", rows)
                : "DIFFERENT: " + String.join("; ", differences);
    }
}
