package dev.clothes.cli;

import dev.clothes.inference.error.UserFacingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place a command's failure becomes output, shared by every module's CLI. A
 * {@link UserFacingException}, or an I/O error about the user's files or network, is printed as one
 * line and exits 2. Anything else (an {@link IllegalArgumentException} or {@link IllegalStateException}
 * included) is a bug: it is rethrown, so picocli prints the full stack trace and exits 1.
 */
public final class UserErrorHandler implements IExecutionExceptionHandler {

    /** The exit code of an error the user can fix. */
    public static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) throws Exception {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException missing) {
            cmd.getErr().println("error: no such file: " + missing.getFile());
            return USER_ERROR;
        }
        if (t instanceof UserFacingException || t instanceof IOException) {
            cmd.getErr().println("error: " + t.getMessage());
            return USER_ERROR;
        }
        throw e;
    }

    /**
     * Configuration built straight from option values: there a record refusing a value (its
     * {@link IllegalArgumentException} echoes it) is a usage error, shown with the usage and exit 2,
     * not a bug. Everywhere else such an exception stays a bug.
     */
    public static <T> T fromOptions(CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid option value: " + e.getMessage(), e);
        }
    }
}
