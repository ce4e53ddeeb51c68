package dev.clothes.benchmarks;

import dev.clothes.benchmarks.batch.ClusterBench;
import dev.clothes.benchmarks.batch.TfliteBatchBench;
import dev.clothes.benchmarks.batch.ThroughputBench;
import dev.clothes.benchmarks.lambda.BundleComparison;
import dev.clothes.benchmarks.lambda.DecodeAgreement;
import dev.clothes.benchmarks.lambda.EmfLibraryBench;
import dev.clothes.benchmarks.lambda.EndpointBenchmark;
import dev.clothes.benchmarks.lambda.FunctionBench;
import dev.clothes.benchmarks.lambda.OodOverhead;
import dev.clothes.benchmarks.lambda.PeerComparison;
import dev.clothes.benchmarks.lambda.RequestProfile;
import dev.clothes.benchmarks.training.HeadRecipes;
import dev.clothes.benchmarks.training.SeedRuns;
import dev.clothes.benchmarks.training.TrunkBench;
import dev.clothes.cli.Cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code benchmark}: every measurement whose figures the reports quote, one subcommand each. Run as
 * {@code ./mvnw -q -B -ntp -pl benchmarks -am compile exec:java -Dbenchmark=NAME -Dexec.args="..."};
 * {@code -Dexec.args=--help} after a name lists its arguments.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Measure what the reports quote; each benchmark prints its figures and says where it wrote them.",
            "",
            "  ./mvnw -q -B -ntp -pl benchmarks -am compile exec:java -Dbenchmark=NAME -Dexec.args=\"...\""},
        subcommands = {FunctionBench.Options.class, EndpointBenchmark.class, PeerComparison.class, RequestProfile.class,
            DecodeAgreement.class, OodOverhead.class, BundleComparison.class, EmfLibraryBench.class,
            ThroughputBench.class, ClusterBench.class, TfliteBatchBench.class, TrunkBench.class, SeedRuns.class,
            HeadRecipes.class, CommandLine.HelpCommand.class})
public final class Benchmarks {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        List<String> all = new ArrayList<>();
        String named = System.getProperty("benchmark");
        if (named != null && !named.isBlank()) {
            all.add(named);
        }
        all.addAll(List.of(args));
        Cli.exit(new Benchmarks(), all.toArray(String[]::new));
    }
}
