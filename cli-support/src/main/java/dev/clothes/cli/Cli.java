package dev.clothes.cli;

import picocli.CommandLine;

/** Every command line of the project, set up the same way: enum values in any case, errors through {@link UserErrorHandler}. */
public final class Cli {

    private Cli() {
    }

    /** The configured command line of {@code command} (a picocli {@code @Command}), also what tests drive. */
    public static CommandLine commandLine(Object command) {
        return new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new UserErrorHandler());
    }

    /** Runs {@code command} with {@code args} and exits with its code: what a {@code main} does. */
    public static void exit(Object command, String... args) {
        System.exit(commandLine(command).execute(args));
    }
}
