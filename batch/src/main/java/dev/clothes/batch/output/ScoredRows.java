package dev.clothes.batch.output;

import dev.clothes.inference.classify.Prediction;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The output table: one row per input image, scored or with its error. The one place its columns are
 * defined; every writer and reader of the output goes through {@link #SCHEMA}.
 */
public final class ScoredRows {

    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("location", DataTypes.StringType)
            .add("label", DataTypes.StringType)
            .add("score", DataTypes.FloatType)
            .add("top_labels", DataTypes.createArrayType(DataTypes.StringType, false))
            .add("top_scores", DataTypes.createArrayType(DataTypes.FloatType, false))
            // Out-of-distribution verdict and score, for bundles with OOD scorers; null otherwise.
            .add("unsure", DataTypes.BooleanType)
            .add("ood_score", DataTypes.DoubleType)
            .add("model_name", DataTypes.StringType, false)
            .add("model_version", DataTypes.StringType, false)
            .add("bundle_sha256", DataTypes.StringType, false)
            // Null for a scored row; else a stable code (image.corrupt, fetch.refused, file.unreadable, ...).
            .add("error_code", DataTypes.StringType)
            .add("error", DataTypes.StringType);

    private ScoredRows() {
    }

    /**
     * A scored image.
     *
     * @param top      the k best classes, best first
     * @param unsure   the OOD verdict, null when the bundle has no OOD scorer
     * @param oodScore the OOD score, null when the bundle has no OOD scorer
     */
    public static Row scored(String id, String location, List<Prediction> top, Boolean unsure, Double oodScore,
                             ModelIdentity model) {
        String[] labels = new String[top.size()];
        Float[] scores = new Float[top.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = top.get(i).label();
            scores[i] = top.get(i).score();
        }
        return RowFactory.create(id, location, labels[0], scores[0], labels, scores, unsure, oodScore,
                model.name(), model.version(), model.bundleSha256(), null, null);
    }

    /** An image that could not be scored; {@code code} is never null. */
    public static Row failed(String id, String location, String code, String message, ModelIdentity model) {
        return RowFactory.create(id, location, null, null, null, null, null, null,
                model.name(), model.version(), model.bundleSha256(), code, message);
    }
}
