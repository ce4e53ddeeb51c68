package dev.clothes.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a command needs to start another JVM on its own classes (a server it measures, a child it kills). */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * This process's classpath, also under {@code exec:java}, where {@code java.class.path} is Maven's launcher
     * and the project's classes come from the plugin's class loader.
     */
    public static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = ChildJvm.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if (url.getProtocol().equals("file")) {
                        entries.add(path(url));
                    }
                }
            }
        }
        List<String> all = new ArrayList<>(entries);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank() && !entries.contains(entry) && !entry.contains("plexus-classworlds")) {
                all.add(entry);
            }
        }
        return String.join(File.pathSeparator, all);
    }

    /** The {@code java} executable of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String path(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("class path entry " + url + " is not a file", e);
        }
    }
}
