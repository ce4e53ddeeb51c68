package dev.clothes.notebooks;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What child JVMs started by a walkthrough need, and number formats for reports. */
public final class Walkthrough {

    private Walkthrough() {
    }

    /** This process's classpath, also under {@code exec:java}, where {@code java.class.path} is Maven's own. */
    public static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = Walkthrough.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if (url.getProtocol().equals("file")) {
                        entries.add(Path.of(java.net.URI.create(url.toString())).toString());
                    }
                }
            }
        }
        List<String> all = new ArrayList<>(entries);
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && !entries.contains(entry) && !entry.contains("plexus-classworlds")) {
                all.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, all);
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    public static String decimals(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }
}
