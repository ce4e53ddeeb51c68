package dev.clothes.batch.cli;

import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.job.JobOptions;
import dev.clothes.batch.job.JobSummary;
import dev.clothes.batch.job.ScoringJob;
import dev.clothes.batch.output.ScoreOutput;
import dev.clothes.cli.Cli;
import dev.clothes.cli.UserErrorHandler;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code score}: the batch scoring job, in local mode (exec:java) or on a cluster (spark-submit). */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        version = "clothes-classifier batch 0.1.0",
        sortOptions = false,
        description = {
            "Score many images with a model bundle on Apache Spark and write one row per image: id, location, "
                + "top label and score, the top-k, the OOD columns, the model and bundle sha256, and an error "
                + "for an image that could not be read, fetched or decoded (the job itself goes on).",
            "",
            "Examples:",
            "  --bundle runs/mobilenet-v2/converted/tflite-float32 --images ../shared/data/clothing-dataset-small "
                + "--out runs/scores",
            "  --bundle model.zip --catalog s3a://shop/catalog.parquet --id-column sku --location-column image_url "
                + "--out s3a://shop/scores",
            "",
            "Options:"
        })
public final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "BUNDLE",
            description = "Model bundle directory or .zip where the driver runs (TFLite or ONNX); the job ships it "
                    + "to the executors.")
    Path bundle;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--images", paramLabel = "DIR",
                description = "Score every image file under this folder, recursively (a local path or any Hadoop "
                        + "URI: file:, s3a:, hdfs:). Id and location are the file's URI.")
        String images;

        @Option(names = "--catalog", paramLabel = "TABLE",
                description = "Score the rows of a CSV (with a header) or Parquet table: an id column and a location "
                        + "column holding a path (file:, s3a:, ...) or an http(s) URL.")
        String catalog;
    }

    @Option(names = "--catalog-format", paramLabel = "csv|parquet",
            description = "Format of --catalog (default: csv if the name ends in .csv or .csv.gz, else parquet).")
    ImageSource.Catalog.Format catalogFormat;

    @Option(names = "--id-column", defaultValue = "id", description = "Catalog column with the id (default: ${DEFAULT-VALUE}).")
    String idColumn;

    @Option(names = "--location-column", defaultValue = "location",
            description = "Catalog column with the path or URL (default: ${DEFAULT-VALUE}).")
    String locationColumn;

    @Option(names = "--glob", defaultValue = ImageSource.Folder.IMAGE_GLOB,
            description = "File names scored under --images (default: ${DEFAULT-VALUE}).")
    String glob;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "Output folder (local path or Hadoop URI).")
    String out;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|csv",
            description = "Output format (default: ${DEFAULT-VALUE}); CSV joins the top-k with '|'.")
    ScoreOutput.Format format;

    @Option(names = "--if-exists", defaultValue = "overwrite", paramLabel = "overwrite|skip-existing|fail",
            converter = IfExistsConverter.class,
            description = "When --out already exists: replace it, score only the ids not in it yet and append "
                    + "(resume), or stop (default: ${DEFAULT-VALUE}).")
    ScoreOutput.IfExists ifExists;

    @Option(names = {"-k", "--top-k"}, defaultValue = "3", description = "Classes kept per image (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--batch-size", defaultValue = "16",
            description = "Images a task reads at once before scoring them one by one (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--read-threads", defaultValue = "8",
            description = "Threads per task reading a batch's images at once; they wait on S3 or http, not on the "
                    + "CPU (default: ${DEFAULT-VALUE}).")
    int readThreads;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Tasks each commit's rows are split into (default: 4 per task slot).")
    int partitions;

    @Option(names = "--commit-every", paramLabel = "ROWS", defaultValue = "" + JobOptions.DEFAULT_COMMIT_ROWS,
            description = "Write the output in commits of about this many rows, each durable once it ends: a run "
                    + "killed half-way and started again with --if-exists skip-existing scores only the rows of the "
                    + "commit it was in and after (default: ${DEFAULT-VALUE}).")
    long commitRows;

    @Option(names = "--threads-per-task", paramLabel = "N",
            description = "Model threads per task; sets spark.task.cpus so that Spark runs fewer tasks at once and "
                    + "cores are not oversubscribed (default: spark.task.cpus, 1).")
    Integer threadsPerTask;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not started by spark-submit (default: local[*], every core of this machine).")
    String master;

    @Option(names = "--allow-loopback-urls",
            description = "Also fetch URLs on 127.0.0.1 / ::1 (local testing only; private and link-local addresses "
                    + "stay refused).")
    boolean allowLoopbackUrls;

    public static void main(String[] args) {
        Cli.exit(new ScoreCommand(), args);
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return Cli.commandLine(new ScoreCommand());
    }

    @Override
    public Integer call() {
        JobOptions options = UserErrorHandler.fromOptions(spec, () -> new JobOptions(bundle,
                input.images != null ? new ImageSource.Folder(input.images, glob)
                        : new ImageSource.Catalog(input.catalog, catalogFormat != null ? catalogFormat
                                : ImageSource.Catalog.formatOf(input.catalog), idColumn, locationColumn),
                new ScoreOutput(out, format, ifExists), topK, batchSize, readThreads, partitions, commitRows,
                allowLoopbackUrls));
        if (threadsPerTask != null && (threadsPerTask < 1 || threadsPerTask > 64)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads-per-task must be within 1..64, got " + threadsPerTask);
        }
        // Spark shows its console progress bar only in its shells unless asked.
        SparkSession.Builder builder = SparkSession.builder().appName("clothes-batch-score")
                .config("spark.ui.showConsoleProgress", "true");
        if (System.getProperty("spark.master") == null) {
            builder.master(master != null ? master : "local[*]");
        }
        if (threadsPerTask != null) {
            builder.config("spark.task.cpus", threadsPerTask.toString());
        }
        try (SparkSession spark = builder.getOrCreate()) {
            spark.sparkContext().setLogLevel("WARN");
            JobSummary summary = ScoringJob.run(spark, options);
            spec.commandLine().getOut().println(summary.line());
            spec.commandLine().getOut().println(summary.profile().line());
        }
        return 0;
    }

    /** {@code skip-existing} on the command line for {@code SKIP_EXISTING}. */
    static final class IfExistsConverter implements CommandLine.ITypeConverter<ScoreOutput.IfExists> {
        @Override
        public ScoreOutput.IfExists convert(String value) {
            return ScoreOutput.IfExists.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }
}
