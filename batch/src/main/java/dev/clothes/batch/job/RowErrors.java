package dev.clothes.batch.job;

import dev.clothes.batch.output.ModelIdentity;
import dev.clothes.batch.output.ScoredRows;
import dev.clothes.inference.error.UserFacingException;

import java.io.FileNotFoundException;
import java.io.IOException;

import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One image's failure as an output row: the error's stable code and its message. */
final class RowErrors {

    private static final Logger LOG = LoggerFactory.getLogger(RowErrors.class);

    private RowErrors() {
    }

    static Row row(String id, String location, Exception e, ModelIdentity model) {
        if (e instanceof UserFacingException u) {
            return ScoredRows.failed(id, location, u.code(), u.getMessage(), model);
        }
        if (e instanceof FileNotFoundException) {
            return ScoredRows.failed(id, location, "file.not-found", e.getMessage(), model);
        }
        if (e instanceof IOException) {
            return ScoredRows.failed(id, location, "file.unreadable", e.getMessage(), model);
        }
        // A bug (e.g. a decoder failing in a way it does not report): one image must not fail a
        // million-image job, so it becomes an error row too, with its stack trace in the executor log.
        LOG.error("unexpected failure scoring {} ({})", id, location, e);
        return ScoredRows.failed(id, location, "internal.error", e.toString(), model);
    }
}
