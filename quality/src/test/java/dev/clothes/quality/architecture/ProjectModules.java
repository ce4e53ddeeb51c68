package dev.clothes.quality.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules as the build declares them (the parent pom's list, each pom's {@code dev.clothes}
 * dependencies) and as the README's module table orders them: a module may depend only on modules in
 * the rows above its own.
 */
final class ProjectModules {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*(`[^|]+`)\\s*\\|");
    private static final Pattern TICKED = Pattern.compile("`([a-z0-9-]+)`");

    private ProjectModules() {
    }

    static List<String> modules(Path root) throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1).strip());
        }
        return modules;
    }

    /** Each module's {@code dev.clothes} dependencies (any scope), as its pom declares them. */
    static Map<String, Set<String>> declared(Path root) throws IOException {
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        for (String module : modules(root)) {
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            int start = pom.indexOf("<dependencies>", pom.indexOf("</parent>"));
            Set<String> deps = new LinkedHashSet<>();
            if (start >= 0) {
                Matcher d = DEPENDENCY.matcher(pom.substring(start, pom.indexOf("</dependencies>", start)));
                while (d.find()) {
                    if (d.group(1).contains("<groupId>dev.clothes</groupId>")) {
                        deps.add(between(d.group(1), "<artifactId>", "</artifactId>"));
                    }
                }
            }
            declared.put(module, deps);
        }
        return declared;
    }

    /** The README's module table: each row's modules, top row first. */
    static List<Set<String>> layers(Path readme) throws IOException {
        List<Set<String>> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Modules");
                continue;
            }
            Matcher row = TABLE_ROW.matcher(line);
            if (inSection && row.find()) {
                Set<String> modules = new LinkedHashSet<>();
                Matcher name = TICKED.matcher(row.group(1));
                while (name.find()) {
                    modules.add(name.group(1));
                }
                rows.add(modules);
            }
        }
        return rows;
    }

    private static String between(String s, String open, String close) {
        int a = s.indexOf(open) + open.length();
        return s.substring(a, s.indexOf(close, a)).strip();
    }
}
