package dev.clothes.quality.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a package may import, as its {@code package-info.java} says it in one sentence: {@code Imports
 * {@code a.b}, {@code c.*}} names the project packages it may use (relative to {@code dev.clothes};
 * {@code .*} adds the subpackages), {@code Imports nothing of the project} none, and a following
 * {@code never {@code picocli}, ...} the libraries it must not touch. Its own package is always allowed.
 *
 * @param pkg       the package, e.g. {@code dev.clothes.inference.image}
 * @param allowed   project packages (full names, a trailing {@code .*} for a subtree)
 * @param forbidden libraries by their name in {@link #LIBRARIES}
 */
record PackageRule(String pkg, List<String> allowed, List<String> forbidden) {

    static final String ROOT = "dev.clothes";

    /** The libraries a rule can forbid, by the package prefixes that are theirs. */
    static final Map<String, List<String>> LIBRARIES = Map.of(
            "picocli", List.of("picocli."),
            "dl4j", List.of("org.deeplearning4j.", "org.nd4j."),
            "tflite", List.of("org.bytedeco.tensorflowlite."),
            "onnxruntime", List.of("ai.onnxruntime."),
            "spark", List.of("org.apache.spark.", "org.apache.hadoop.", "scala."),
            "lambda-runtime", List.of("com.amazonaws.services.lambda."));

    private static final Pattern SENTENCE = Pattern.compile("Imports\\s+(nothing of the project|\\{@code [^}]+}"
            + "(?:\\s*,\\s*(?:and\\s+)?\\{@code [^}]+})*)(?:\\s*;\\s*never\\s+(\\{@code [^}]+}(?:\\s*,\\s*(?:or\\s+)?"
            + "\\{@code [^}]+})*))?");
    private static final Pattern CODE = Pattern.compile("\\{@code ([^}]+)}");

    PackageRule {
        allowed = List.copyOf(allowed);
        forbidden = List.copyOf(forbidden);
        for (String library : forbidden) {
            if (!LIBRARIES.containsKey(library)) {
                throw new IllegalArgumentException(pkg + ": unknown library '" + library + "', known: " + LIBRARIES.keySet());
            }
        }
    }

    /** The rule in {@code packageInfo}, or an error naming the file when it has none. */
    static PackageRule read(String pkg, Path packageInfo) throws IOException {
        String text = Files.readString(packageInfo).replaceAll("\\s*\\n\\s*\\*?\\s*", " ");
        Matcher m = SENTENCE.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(packageInfo + ": says nowhere what the package may import (a sentence"
                    + " 'Imports {@code inference.image}, ...' or 'Imports nothing of the project', optionally"
                    + " followed by '; never {@code picocli}')");
        }
        List<String> allowed = new ArrayList<>();
        if (!m.group(1).equals("nothing of the project")) {
            for (String name : codes(m.group(1))) {
                allowed.add(ROOT + "." + name);
            }
        }
        List<String> forbidden = m.group(2) == null ? List.of() : codes(m.group(2));
        return new PackageRule(pkg, allowed, forbidden);
    }

    private static List<String> codes(String list) {
        List<String> names = new ArrayList<>();
        Matcher code = CODE.matcher(list);
        while (code.find()) {
            names.add(code.group(1).strip());
        }
        return names;
    }

    /** Whether a class of this package may use {@code target}, a class of another package. */
    boolean allows(String targetPackage) {
        if (targetPackage.equals(pkg)) {
            return true;
        }
        if (targetPackage.equals(ROOT) || targetPackage.startsWith(ROOT + ".")) {
            for (String a : allowed) {
                if (a.endsWith(".*") ? targetPackage.equals(a.substring(0, a.length() - 2))
                        || targetPackage.startsWith(a.substring(0, a.length() - 1)) : targetPackage.equals(a)) {
                    return true;
                }
            }
            return false;
        }
        for (String library : forbidden) {
            for (String prefix : LIBRARIES.get(library)) {
                if (targetPackage.startsWith(prefix) || (targetPackage + ".").equals(prefix)) {
                    return false;
                }
            }
        }
        return true;
    }
}
