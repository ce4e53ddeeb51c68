package dev.clothes.batch.cluster;

import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.output.ScoreOutput;
import dev.clothes.batch.output.ScoredRows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Two runs' outputs compared row for row: the same ids, and every column of each id's row equal. */
public final class ScoresComparison {

    private ScoresComparison() {
    }

    /**
     * What differs between the two outputs, at most {@code limit} lines; empty when they are equal row for row.
     * Floats are compared exactly: the same bundle on the same engine and thread count gives the same bits.
     */
    public static List<String> differences(SparkSession spark, String left, String right, ScoreOutput.Format format,
                                           int limit) {
        Map<String, Row> a = rows(spark, left, format);
        Map<String, Row> b = rows(spark, right, format);
        List<String> differences = new ArrayList<>();
        for (String id : union(a, b)) {
            Row x = a.get(id);
            Row y = b.get(id);
            if (x == null || y == null) {
                differences.add(id + ": only in " + (x == null ? right : left));
                continue;
            }
            for (String column : x.schema().fieldNames()) {
                Object u = x.getAs(column);
                Object v = y.getAs(column);
                // Arrays (the top-k) come back as Scala sequences, which compare by their elements.
                if (!Objects.equals(u, v)) {
                    differences.add(id + ": " + column + " " + u + " != " + v);
                }
            }
        }
        return differences.subList(0, Math.min(limit, differences.size()));
    }

    /** By id; two rows with one id would be a duplicate the job must never write. */
    private static Map<String, Row> rows(SparkSession spark, String path, ScoreOutput.Format format) {
        List<Row> rows = (format == ScoreOutput.Format.CSV
                ? spark.read().option("header", "true").csv(path)
                : spark.read().schema(ScoredRows.SCHEMA).parquet(path)).collectAsList();
        Map<String, Row> byId = new TreeMap<>();
        for (Row row : rows) {
            if (byId.put(row.getAs(ImageSource.ID), row) != null) {
                throw new IllegalStateException(path + " holds id " + row.getAs(ImageSource.ID) + " twice");
            }
        }
        return byId;
    }

    private static Set<String> union(Map<String, Row> a, Map<String, Row> b) {
        Set<String> ids = new TreeSet<>(a.keySet());
        ids.addAll(b.keySet());
        return ids;
    }
}
