package dev.clothes.batch.output;

import dev.clothes.batch.input.BatchInputException;
import dev.clothes.batch.input.ImageSource;

import java.io.IOException;
import java.util.Arrays;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where the scored table goes and what a second run over the same path does.
 *
 * @param path     a Hadoop path (folder of part files)
 * @param format   Parquet keeps the top-k as arrays; CSV joins them with {@code |}
 * @param ifExists what to do when {@code path} already holds output
 */
public record ScoreOutput(String path, Format format, IfExists ifExists) {

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

    /** The input rows this run scores: all of them, or with skip-existing those whose id is not in the output yet. */
    public Dataset<Row> pending(SparkSession spark, Dataset<Row> input) {
        if (ifExists == IfExists.FAIL && exists(spark)) {
            throw new BatchInputException("the output " + path + " already exists (choose --if-exists overwrite "
                    + "or skip-existing)", null);
        }
        if (ifExists != IfExists.SKIP_EXISTING || !exists(spark)) {
            return input;
        }
        // With the schema given, a folder a killed run left without any committed file reads as no rows.
        Dataset<Row> done = (format == Format.CSV ? spark.read().schema(csvSchema()).option("header", "true").csv(path)
                : spark.read().schema(ScoredRows.SCHEMA).parquet(path)).select(ImageSource.ID).distinct();
        return input.join(done, input.col(ImageSource.ID).equalTo(done.col(ImageSource.ID)), "left_anti");
    }

    /**
     * Writes one commit's rows: the first as {@link #ifExists} says (replace, append, or refuse), the next ones
     * appended to it. The rows are durable once this returns.
     */
    public void write(Dataset<Row> scored, boolean first) {
        SaveMode mode = !first ? SaveMode.Append : switch (ifExists) {
            case OVERWRITE -> SaveMode.Overwrite;
            case SKIP_EXISTING -> SaveMode.Append;
            case FAIL -> SaveMode.ErrorIfExists;
        };
        if (format == Format.PARQUET) {
            scored.write().mode(mode).parquet(path);
        } else {
            scored.selectExpr(csvColumns()).write().mode(mode).option("header", "true").csv(path);
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

    /** Whether {@link #path} exists (with or without committed rows). */
    public boolean exists(SparkSession spark) {
        Path out = new Path(path);
        try {
            return out.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(out);
        } catch (IOException e) {
            throw new BatchInputException("cannot check the output " + path + ": " + e.getMessage(), e);
        }
    }
}
