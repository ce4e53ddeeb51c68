package dev.clothes.inference.cli;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.image.ImageDecodeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Errors a user can fix are printed as one line, without a stack trace; bugs keep theirs. Shared
 * by every module's CLI, each adding its own user-error types.
 */
public final class UserErrorHandler implements IExecutionExceptionHandler {

    private final List<Class<? extends Throwable>> moduleErrors;

    /** @param moduleErrors further exception types that describe a user mistake (e.g. a bad dataset) */
    @SafeVarargs
    public UserErrorHandler(Class<? extends Throwable>... moduleErrors) {
        this.moduleErrors = List.of(moduleErrors);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) throws Exception {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException missing) {
            cmd.getErr().println("error: no such file: " + missing.getFile());
            return 2;
        }
        if (t instanceof BundleException || t instanceof ImageDecodeException || t instanceof FetchException
                || t instanceof IOException || t instanceof IllegalArgumentException
                || moduleErrors.stream().anyMatch(type -> type.isInstance(t))) {
            cmd.getErr().println("error: " + t.getMessage());
            return 2;
        }
        throw e;
    }
}
