package dev.clothes.notebooks.report;

import java.util.List;
import java.util.Locale;

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

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    public static String decimals(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }
}
