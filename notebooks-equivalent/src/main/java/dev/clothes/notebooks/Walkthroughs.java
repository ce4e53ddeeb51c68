package dev.clothes.notebooks;

import dev.clothes.cli.Cli;
import dev.clothes.notebooks.conversion.ModelConversion;
import dev.clothes.notebooks.deployment.ModelDeployment;
import dev.clothes.notebooks.training.ModelTraining;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The three walkthroughs of the reference notebooks, as commands. Each drives the real modules and
 * writes an HTML report (pictures embedded) and its Markdown twin.
 */
@Command(name = "walkthrough", mixinStandardHelpOptions = true,
        description = {"Runnable equivalents of the reference notebooks. Run one with",
            "  ./mvnw -q -B -ntp -pl notebooks-equivalent -am compile exec:java -Dwalkthrough=NAME [-Dexec.args=\"...\"]",
            "NAME is 1-model-training, 2-model-conversion or 3-model-deployment, in that order: each uses what "
                + "the one before wrote."},
        subcommands = {ModelTraining.class, ModelConversion.class, ModelDeployment.class})
public final class Walkthroughs {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs a walkthrough; {@code -Dwalkthrough=NAME} names it when the arguments do not. */
    public static int run(String... args) {
        List<String> all = new ArrayList<>();
        String named = System.getProperty("walkthrough");
        if (named != null && !named.isBlank()) {
            all.add(named);
        }
        all.addAll(List.of(args));
        return Cli.commandLine(new Walkthroughs()).execute(all.toArray(String[]::new));
    }
}
