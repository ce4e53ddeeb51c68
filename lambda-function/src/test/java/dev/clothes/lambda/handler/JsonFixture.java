package dev.clothes.lambda.handler;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Compares a response with an expected-response fixture, JSON against JSON. Everything is compared
 * exactly (same keys, same array lengths and order, same strings and integers) except:
 * <ul>
 *   <li>{@code "<any-number>"} matches any number (timings);</li>
 *   <li>{@code <uuid>} inside a string matches a random UUID there (generated request ids);</li>
 *   <li>floating-point numbers (model scores) match within {@link #SCORE_TOLERANCE}.</li>
 * </ul>
 */
final class JsonFixture {

    static final String ANY_NUMBER = "<any-number>";
    static final String UUID = "<uuid>";
    /** Five steps of the quantised model's 1/256 output: room for another CPU or engine build, not for another answer. */
    static final double SCORE_TOLERANCE = 0.02;

    private static final String UUID_REGEX = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private JsonFixture() {
    }

    /** Every difference, one per line with its JSON path; empty when the response matches. */
    static List<String> differences(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        compare("$", expected, actual, out);
        return out;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (actual == null || actual.isMissingNode()) {
            out.add(path + ": missing, expected " + brief(expected));
            return;
        }
        if (expected.isTextual() && expected.asText().equals(ANY_NUMBER)) {
            if (!actual.isNumber()) {
                out.add(path + ": expected a number, got " + actual);
            }
        } else if (expected.isTextual() && expected.asText().contains(UUID)) {
            if (!actual.isTextual() || !pattern(expected.asText()).matcher(actual.asText()).matches()) {
                out.add(path + ": expected " + expected + ", got " + actual);
            }
        } else if (expected.isObject()) {
            if (!actual.isObject()) {
                out.add(path + ": expected an object, got " + actual.getNodeType());
                return;
            }
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String child = path + "." + key;
                if (!expected.has(key)) {
                    out.add(child + ": unexpected, got " + brief(actual.get(key)));
                } else {
                    compare(child, expected.get(key), actual.path(key), out);
                }
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                out.add(path + ": expected an array of " + expected.size() + ", got " + shape(actual));
                return;
            }
            Iterator<JsonNode> e = expected.elements();
            for (int i = 0; e.hasNext(); i++) {
                compare(path + "[" + i + "]", e.next(), actual.get(i), out);
            }
        } else if (expected.isIntegralNumber()) {
            if (!actual.isIntegralNumber() || !actual.bigIntegerValue().equals(expected.bigIntegerValue())) {
                out.add(path + ": expected " + expected + ", got " + actual);
            }
        } else if (expected.isNumber()) {
            if (!actual.isNumber() || Math.abs(actual.doubleValue() - expected.doubleValue()) > SCORE_TOLERANCE) {
                out.add(path + ": expected " + expected + " +/- " + SCORE_TOLERANCE + ", got " + actual);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": expected " + brief(expected) + ", got " + brief(actual));
        }
    }

    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        String[] literals = template.split(Pattern.quote(UUID), -1);
        for (int i = 0; i < literals.length; i++) {
            regex.append(Pattern.quote(literals[i]));
            if (i < literals.length - 1) {
                regex.append(UUID_REGEX);
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Values in messages are cut short: a missing scores map is a thousand entries. */
    private static String brief(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }

    private static String shape(JsonNode node) {
        return node.isArray() ? "an array of " + node.size() : node.getNodeType().toString();
    }
}
