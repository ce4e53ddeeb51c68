package dev.clothes.inference.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clothes.inference.preprocess.ChannelOrder;
import dev.clothes.inference.preprocess.CropMode;
import dev.clothes.inference.preprocess.DecodeSize;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TestTimeAugmentation;
import dev.clothes.inference.preprocess.ResizeMethod;
import dev.clothes.inference.preprocess.TensorLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code bundle.json} to a {@link BundleManifest} through the JSON tree, field by field, as Jackson writes the
 * records (component names; absent fields null, 0 or false; unknown fields ignored). Binding the records by
 * reflection cost a cold start ~35 ms more than this. Type errors name the field.
 */
final class ManifestReader {

    private ManifestReader() {
    }

    static BundleManifest read(JsonNode m) {
        requireObject(m, "the manifest");
        return new BundleManifest(int32(m, "formatVersion"), text(m, "name"), text(m, "version"), text(m, "runtime"),
                text(m, "modelFile"), text(m, "labelsFile"), text(m, "metricsFile"), tensor(m.get("input"), "input"),
                tensor(m.get("output"), "output"), preprocessing(m.get("preprocessing")),
                postprocessing(m.get("postprocessing")), provenance(m.get("provenance")),
                tensor(m.get("embedding"), "embedding"), outOfDistribution(m.get("outOfDistribution")));
    }

    private static TensorSpec tensor(JsonNode t, String field) {
        if (absent(t)) {
            return null;
        }
        requireObject(t, field);
        JsonNode q = t.get("quantization");
        Quantization quantization = null;
        if (!absent(q)) {
            requireObject(q, field + ".quantization");
            quantization = new Quantization(number(q, "scale"), integer(q, "zeroPoint"));
        }
        return new TensorSpec(text(t, "name"), list(t, "shape", ManifestReader::int32),
                constant(TensorType.class, t, "type"), quantization);
    }

    private static Preprocessing preprocessing(JsonNode p) {
        if (absent(p)) {
            return null;
        }
        requireObject(p, "preprocessing");
        JsonNode n = p.get("normalization");
        Normalization normalization = null;
        if (!absent(n)) {
            requireObject(n, "normalization");
            normalization = new Normalization(list(n, "mean", ManifestReader::number),
                    list(n, "std", ManifestReader::number));
        }
        return new Preprocessing(int32(p, "width"), int32(p, "height"),
                constant(ResizeMethod.class, p, "resize"), constant(CropMode.class, p, "crop"),
                number(p, "cropFraction"), normalization, constant(ChannelOrder.class, p, "channelOrder"),
                constant(TensorLayout.class, p, "layout"), constant(DecodeSize.class, p, "decode"),
                constant(TestTimeAugmentation.class, p, "tta"));
    }

    private static Postprocessing postprocessing(JsonNode p) {
        if (absent(p)) {
            return null;
        }
        requireObject(p, "postprocessing");
        JsonNode softmax = p.get("softmax");
        if (!absent(softmax) && !softmax.isBoolean()) {
            throw new IllegalArgumentException("postprocessing.softmax must be true or false, got " + softmax);
        }
        return new Postprocessing(!absent(softmax) && softmax.booleanValue(), number(p, "temperature"));
    }

    private static Provenance provenance(JsonNode p) {
        if (absent(p)) {
            return null;
        }
        requireObject(p, "provenance");
        return new Provenance(text(p, "createdAt"), text(p, "createdBy"), text(p, "source"),
                text(p, "trainingDataSha256"), text(p, "baseWeightsSha256"), text(p, "gitCommit"));
    }

    private static OutOfDistributionConfig outOfDistribution(JsonNode o) {
        if (absent(o)) {
            return null;
        }
        requireObject(o, "outOfDistribution");
        return new OutOfDistributionConfig(text(o, "file"), text(o, "defaultScorer"), list(o, "scorers", s -> {
            requireObject(s, "a scorer");
            return new ScorerSpec(text(s, "name"), number(s, "threshold"), map(s, "parameters", ManifestReader::number),
                    map(s, "arrays", a -> {
                        requireObject(a, "an array block");
                        return new FloatBlock(integer(a, "offset"), int32(a, "rows"), int32(a, "cols"));
                    }));
        }));
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static void requireObject(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object, got " + n);
        }
    }

    private static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, got " + n);
        }
        return n.textValue();
    }

    private static long integer(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return absent(n) ? 0 : integer(n);
    }

    private static long integer(JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IllegalArgumentException("expected a whole number, got " + n);
        }
        return n.longValue();
    }

    private static int int32(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return absent(n) ? 0 : int32(n);
    }

    private static int int32(JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("expected a whole number within 32 bits, got " + n);
        }
        return n.intValue();
    }

    private static double number(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return absent(n) ? 0 : number(n);
    }

    private static double number(JsonNode n) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException("expected a number, got " + n);
        }
        return n.doubleValue();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode parent, String field) {
        String name = text(parent, field);
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", got '" + name + "'");
        }
    }

    /** The array at {@code field}, each element read by {@code element}; absent: null (the record decides). */
    private static <T> List<T> list(JsonNode parent, String field, Function<JsonNode, T> element) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return null;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(field + " must be a JSON array, got " + n);
        }
        List<T> values = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (absent(e)) {
                throw new IllegalArgumentException(field + " must not hold null");
            }
            values.add(element.apply(e));
        }
        return values;
    }

    /** The object at {@code field} as a map, each value read by {@code value}; absent: null. */
    private static <T> Map<String, T> map(JsonNode parent, String field, Function<JsonNode, T> value) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return null;
        }
        requireObject(n, field);
        Map<String, T> values = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (absent(e.getValue())) {
                throw new IllegalArgumentException(field + "." + e.getKey() + " must not be null");
            }
            values.put(e.getKey(), value.apply(e.getValue()));
        });
        return values;
    }
}
