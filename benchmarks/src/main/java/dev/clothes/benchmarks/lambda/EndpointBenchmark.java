package dev.clothes.benchmarks.lambda;

import dev.clothes.cli.ChildJvm;
import dev.clothes.lambda.local.EndpointLoad;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The function behind its local endpoint in a child JVM, under load: see {@link EndpointLoad}. */
@Command(name = "endpoint", mixinStandardHelpOptions = true,
        description = "The local endpoint in a child JVM: start to first answer, warm latency, a soak with p99 and RSS.")
public final class EndpointBenchmark implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "the bundle to serve")
    Path bundle;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "the photo every request sends")
    Path image;

    @Parameters(index = "2", paramLabel = "REPORT.md", arity = "0..1", description = "where the report goes (default: printed only)")
    Path report;

    @Parameters(index = "3", paramLabel = "REQUESTS", arity = "0..1", defaultValue = "10000",
            description = "requests in all (default: ${DEFAULT-VALUE})")
    int requests;

    @Parameters(index = "4", paramLabel = "CONCURRENCY", arity = "0..1", defaultValue = "4",
            description = "clients during the soak (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Override
    public Integer call() throws Exception {
        EndpointLoad.Figures figures = EndpointLoad.measure(bundle, image, requests, concurrency, ChildJvm.classpath());
        System.out.println(figures.markdown());
        if (report != null) {
            Files.writeString(report, figures.markdown());
            System.out.println("wrote " + report);
        }
        return 0;
    }
}
