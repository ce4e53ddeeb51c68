package dev.clothes.batch.input;

import java.util.Arrays;
import java.util.Locale;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import static org.apache.spark.sql.functions.col;

/** Where the images to score are listed; {@link #rows} gives one (id, location) row per image, both strings. */
public sealed interface ImageSource {

    String ID = "id";
    String LOCATION = "location";

    Dataset<Row> rows(SparkSession spark);

    /**
     * Every file under {@code root} (any Hadoop path: a folder, {@code file:}, {@code s3a:}, ...) whose name
     * matches {@code glob}, found by Spark's binaryFile source; id and location are the file's URI.
     */
    record Folder(String root, String glob) implements ImageSource {

        /** The extensions the image decoder reads, in lower and upper case. */
        public static final String IMAGE_GLOB = "*.{jpg,jpeg,png,gif,bmp,webp,JPG,JPEG,PNG,GIF,BMP,WEBP}";

        public Folder {
            if (root == null || root.isBlank()) {
                throw new IllegalArgumentException("the image folder must be a path, got '" + root + "'");
            }
            if (glob == null || glob.isBlank()) {
                throw new IllegalArgumentException("the file name pattern must not be empty, got '" + glob + "'");
            }
        }

        @Override
        public Dataset<Row> rows(SparkSession spark) {
            try {
                // Only the path is selected, so binaryFile lists the files without reading them: each task
                // reads its own images and turns a bad one into an error row.
                Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                        .option("pathGlobFilter", glob).load(root);
                // Spark plans a file scan as about one task per 4 MB "opening cost" per file: one per small photo's
                // worth, 120 tasks for 3,781 photos, seconds of scheduling for a stat each. One task per core.
                return files.select(col("path").as(ID), col("path").as(LOCATION))
                        .coalesce(Math.max(1, spark.sparkContext().defaultParallelism()));
            } catch (Exception e) {
                throw unusable("the image folder " + root, e);
            }
        }
    }

    /**
     * A table (CSV with a header line, or Parquet) with an id column and a location column: a Hadoop path
     * or an http(s) URL per row.
     */
    record Catalog(String table, Format format, String idColumn, String locationColumn) implements ImageSource {

        public enum Format { CSV, PARQUET }

        public Catalog {
            if (table == null || table.isBlank()) {
                throw new IllegalArgumentException("the catalog must be a path, got '" + table + "'");
            }
            if (format == null) {
                throw new IllegalArgumentException("the catalog format must be csv or parquet, got null");
            }
            if (idColumn == null || idColumn.isBlank() || locationColumn == null || locationColumn.isBlank()) {
                throw new IllegalArgumentException("the id and location columns must be named, got '" + idColumn
                        + "' and '" + locationColumn + "'");
            }
        }

        /** CSV for names ending in .csv (or .csv.gz), else Parquet. */
        public static Format formatOf(String table) {
            String name = table.toLowerCase(Locale.ROOT);
            return name.endsWith(".csv") || name.endsWith(".csv.gz") ? Format.CSV : Format.PARQUET;
        }

        @Override
        public Dataset<Row> rows(SparkSession spark) {
            Dataset<Row> catalog;
            try {
                catalog = format == Format.CSV ? spark.read().option("header", "true").csv(table)
                        : spark.read().parquet(table);
            } catch (Exception e) {
                throw unusable("the catalog " + table, e);
            }
            for (String column : new String[] {idColumn, locationColumn}) {
                if (!Arrays.asList(catalog.columns()).contains(column)) {
                    throw new BatchInputException("the catalog " + table + " has no column '" + column
                            + "'; its columns are " + Arrays.toString(catalog.columns())
                            + " (choose them with --id-column and --location-column)", null);
                }
            }
            return catalog.select(col(idColumn).cast("string").as(ID), col(locationColumn).cast("string").as(LOCATION));
        }
    }

    private static BatchInputException unusable(String what, Exception e) {
        // Spark reports a missing path or an unreadable table (an AnalysisException) when the plan is made.
        return new BatchInputException(what + " cannot be read: " + e.getMessage(), e);
    }
}
