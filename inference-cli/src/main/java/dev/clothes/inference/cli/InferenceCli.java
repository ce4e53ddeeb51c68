package dev.clothes.inference.cli;

import dev.clothes.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code inference}: classify photos with a model bundle, make and check bundles, benchmark. */
@Command(name = "inference",
        mixinStandardHelpOptions = true,
        version = "clothes-classifier inference 0.1.0",
        description = {
            "Classify photos with a model bundle, wrap a TensorFlow Lite model into a bundle, benchmark a bundle.",
            "",
            "Start here:",
            "  bundle create --model m.tflite --labels labels.txt --out bundles/m   (wrap a stock model)",
            "  predict bundles/m photo.jpg https://example.com/shirt.jpg            (classify)",
        },
        subcommands = {PredictCommand.class, BundleCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class InferenceCli {

    public static void main(String[] args) {
        Cli.exit(new InferenceCli(), args);
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return Cli.commandLine(new InferenceCli());
    }
}
