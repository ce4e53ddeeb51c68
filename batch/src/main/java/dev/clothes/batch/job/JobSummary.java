package dev.clothes.batch.job;

import java.util.Locale;

/**
 * What a run did, for the summary line: output rows, rows with an error, wall time from listing the input to the
 * last commit and the part of it spent listing the rows to score, the commits it made (each makes its rows
 * durable), and where the tasks' time went.
 */
public record JobSummary(long rows, long errors, double seconds, double listingSeconds, String output, int commits,
                         TaskProfile profile) {

    public double imagesPerSecond() {
        return seconds > 0 ? rows / seconds : 0;
    }

    public String line() {
        return String.format(Locale.ROOT, "scored %,d images (%,d errors) in %.1f s: %.1f images/s, %d commit%s -> %s "
                        + "(listing the rows to score took %.1f s)", rows, errors, seconds, imagesPerSecond(), commits,
                commits == 1 ? "" : "s", output, listingSeconds);
    }
}
