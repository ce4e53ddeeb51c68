package dev.clothes.inference.cli;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.image.ImageDecodeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Errors a user can fix are printed as one line, without a stack trace; bugs keep theirs. */
final class UserErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) throws Exception {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException missing) {
            cmd.getErr().println("error: no such file: " + missing.getFile());
            return 2;
        }
        if (t instanceof BundleException || t instanceof ImageDecodeException || t instanceof FetchException
                || t instanceof IOException || t instanceof IllegalArgumentException) {
            cmd.getErr().println("error: " + t.getMessage());
            return 2;
        }
        throw e;
    }
}
