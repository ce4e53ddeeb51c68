package dev.clothes.notebooks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where a walkthrough's report goes, and the lines every report starts with. A picocli mixin. */
public final class ReportOutput {

    @Option(names = "--reports", defaultValue = "notebooks-equivalent/reports",
            description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    Path reports;

    @Spec(Spec.Target.MIXEE)
    CommandSpec walkthrough;

    /** A report whose first lines say how to run it again, when, and on what. */
    public Report start(String title) {
        String name = walkthrough.name();
        List<String> original = walkthrough.commandLine().getParseResult().originalArgs();
        List<String> args = original.isEmpty() || !original.get(0).equals(name) ? original
                : original.subList(1, original.size());
        Runtime rt = Runtime.getRuntime();
        return new Report(title)
                .text("Command: `" + Walkthrough.command(name, args) + "`")
                .text(String.format(Locale.ROOT, "Run on %s: %d cores, Java %s, max heap %,d MB. Every number below "
                                + "was computed by this run.", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        rt.availableProcessors(), System.getProperty("java.version"), rt.maxMemory() >> 20));
    }

    /** Writes REPORTS/NAME.html and .md and says where. */
    public void write(Report report) throws IOException {
        Path html = report.writeTo(reports, walkthrough.name());
        System.out.println("report: " + html + " (and " + walkthrough.name() + ".md)");
    }
}
