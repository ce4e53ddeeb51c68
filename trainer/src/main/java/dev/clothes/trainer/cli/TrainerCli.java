package dev.clothes.trainer.cli;

import dev.clothes.cli.Cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code trainer}: train a clothes classifier and evaluate bundles. */
@Command(name = "trainer", mixinStandardHelpOptions = true, version = "clothes-classifier trainer 0.1.0",
        description = {"Train a clothes classifier by transfer learning (DL4J) and evaluate model bundles.",
            "",
            "Start here:",
            "  train --data ../shared/data/clothing-dataset-small --out runs/mobilenet-v2",
            "  evaluate runs/mobilenet-v2/bundle --data ../shared/data/clothing-dataset-small --split test"},
        subcommands = {TrainCommand.class, EvaluateCommand.class, CommandLine.HelpCommand.class})
public final class TrainerCli {

    public static void main(String[] args) {
        Cli.exit(new TrainerCli(), args);
    }

    public static CommandLine commandLine() {
        return Cli.commandLine(new TrainerCli());
    }
}
