package dev.clothes.batch.output;

import dev.clothes.batch.input.BatchInputException;
import dev.clothes.batch.input.ImageSource;

import java.io.IOException;
import java.util.Arrays;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where the scored table goes and what a second run over the same path does. A run writes in commits, each
 * appended once its rows are scored; one run at a time per path.
 *
 * @param path     a Hadoop path (folder of part files)
 * @param format   Parquet keeps the top-k as arrays; CSV joins them with {@code |}
 * @param ifExists what to do when {@code path} already holds output
 */
public record ScoreOutput(String path, Format format, IfExists ifExists) {

    /** The rows a run still has to score, written once at its start (hidden from readers of the output by its {@code _}). */
    private static final String PENDING = "_pending";
    /** Where Hadoop's file committer keeps task files until their job commits; a killed run leaves its own behind. */
    private static final String UNCOMMITTED = "_temporary";

    public enum Format { PARQUET, CSV }

    public enum IfExists {
        /** Replace it: the new output is exactly this run's. */
        OVERWRITE,
        /** Score only ids not in it yet and append them (resume a stopped or killed run; errors are kept, not retried). */
        SKIP_EXISTING,
        /** Stop before scoring anything. */
        FAIL
    }

    public ScoreOutput {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("the output must be a path, got '" + path + "'");
        }
        if (format == null || ifExists == null) {
            throw new IllegalArgumentException("the output format and if-exists mode are required, got " + format
                    + " and " + ifExists);
        }
    }

    /**
     * The input rows this run scores, all of them or with skip-existing those whose id is not in the output yet,
     * written under the output as they are now and read back: every commit takes its share of this fixed list,
     * whatever the commits before it added to the output (a plan reading the output would see them) and without
     * listing the input again. With overwrite the old output is deleted first; a killed run's uncommitted task
     * files are deleted, or the first commit would take them in with its own.
     */
    public Dataset<Row> pending(SparkSession spark, Dataset<Row> input) {
        FileSystem fs = fileSystem(spark);
        Path out = new Path(path);
        Dataset<Row> todo = input;
        try {
            boolean exists = fs.exists(out);
            if (exists && ifExists == IfExists.FAIL) {
                throw new BatchInputException("the output " + path + " already exists (choose --if-exists overwrite "
                        + "or skip-existing)", null);
            }
            if (exists && ifExists == IfExists.OVERWRITE) {
                fs.delete(out, true);
            }
            fs.delete(new Path(out, UNCOMMITTED), true);
            if (exists && ifExists == IfExists.SKIP_EXISTING) {
                // With the schema given, a folder a killed run left without any committed file reads as no rows.
                Dataset<Row> done = (format == Format.CSV
                        ? spark.read().schema(csvSchema()).option("header", "true").csv(path)
                        : spark.read().schema(ScoredRows.SCHEMA).parquet(path)).select(ImageSource.ID).distinct();
                todo = input.join(done, input.col(ImageSource.ID).equalTo(done.col(ImageSource.ID)), "left_anti");
            }
        } catch (IOException e) {
            throw new BatchInputException("cannot prepare the output " + path + ": " + e.getMessage(), e);
        }
        String pending = new Path(out, PENDING).toString();
        todo.write().mode(SaveMode.Overwrite).parquet(pending);
        // Its part files by name: Spark warns about reading a folder whose name starts with '_'.
        return spark.read().parquet(pending + "/part-*");
    }

    /** Appends one commit's rows; they are durable once this returns. */
    public void write(Dataset<Row> scored) {
        if (format == Format.PARQUET) {
            scored.write().mode(SaveMode.Append).parquet(path);
        } else {
            scored.selectExpr(csvColumns()).write().mode(SaveMode.Append).option("header", "true").csv(path);
        }
    }

    /** Deletes the list of pending rows once every commit has ended. */
    public void finish(SparkSession spark) {
        try {
            fileSystem(spark).delete(new Path(new Path(path), PENDING), true);
        } catch (IOException e) {
            throw new BatchInputException("cannot delete " + path + "/" + PENDING + ": " + e.getMessage(), e);
        }
    }

    /** CSV has no arrays: the top-k become {@code shirt|t-shirt|pants} and {@code 0.910000|0.050000|0.010000}. */
    private static String[] csvColumns() {
        return Arrays.stream(ScoredRows.SCHEMA.fieldNames()).map(name -> switch (name) {
            case "top_labels" -> "array_join(top_labels, '|') AS top_labels";
            case "top_scores" -> "array_join(transform(top_scores, s -> format_string('%.6f', s)), '|') AS top_scores";
            default -> name;
        }).toArray(String[]::new);
    }

    /** The CSV output's columns as written: every one a string to the reader, which only needs the ids. */
    private static StructType csvSchema() {
        StructType schema = new StructType();
        for (String name : ScoredRows.SCHEMA.fieldNames()) {
            schema = schema.add(name, DataTypes.StringType);
        }
        return schema;
    }

    private FileSystem fileSystem(SparkSession spark) {
        try {
            return new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new BatchInputException("cannot reach the output " + path + ": " + e.getMessage(), e);
        }
    }
}
