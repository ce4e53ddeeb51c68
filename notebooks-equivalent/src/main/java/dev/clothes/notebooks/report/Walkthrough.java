package dev.clothes.notebooks.report;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the walkthroughs share: their names and the command that runs each (a walkthrough's error
 * names the one to run first), what child JVMs they start need, and number formats for reports.
 * Here, below the walkthroughs, so no walkthrough imports another or the dispatcher.
 */
public final class Walkthrough {

    public static final String TRAINING = "1-model-training";
    public static final String CONVERSION = "2-model-conversion";
    public static final String DEPLOYMENT = "3-model-deployment";

    private Walkthrough() {
    }

    /** The command a reader can paste to run a walkthrough again, for the top of its report. */
    public static String command(String name, List<String> args) {
        String command = "./mvnw -q -B -ntp -pl notebooks-equivalent -am compile exec:java -Dwalkthrough=" + name;
        return args.isEmpty() ? command : command + " -Dexec.args=\"" + String.join(" ", args) + "\"";
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
