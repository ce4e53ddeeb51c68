package dev.clothes.lambda.local;

import dev.clothes.cli.Cli;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.lambda.handler.PredictHandler;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the Lambda function locally on 127.0.0.1, exactly as deployed: each request becomes an API "
            + "Gateway event for the same handler.",
            "Example: serve bundles/clothes --allow-loopback-urls, then",
            "  curl -X POST http://127.0.0.1:8080/predict -H 'Content-Type: application/json' "
                + "-d '{\"url\": \"http://127.0.0.1:8000/shirt.jpg\"}'",
            "  curl -X POST http://127.0.0.1:8080/predict -H 'Content-Type: image/jpeg' --data-binary @shirt.jpg",
            "The deployed API wants an x-api-key header; here it is optional, unless --api-key asks for one."})
public final class ServeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUNDLE", description = "Model bundle (directory or .zip).")
    Path bundle;

    @Option(names = "--port", defaultValue = "8080", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--allow-loopback-urls", description = "Let {\"url\": ...} point at 127.0.0.1 (local development only).")
    boolean allowLoopback;

    @Option(names = "--threads", defaultValue = "4", description = "Concurrent requests (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Answer 403 to requests without this x-api-key header, "
            + "as the deployed API does (default: the header is optional).")
    String apiKey;

    public static void main(String[] args) {
        Cli.exit(new ServeCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        Classifier classifier = Classifier.open(bundle, ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(1, 2)));
        PredictHandler handler = new PredictHandler(classifier,
                new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(allowLoopback)));
        try (LocalServer server = new LocalServer(handler, port, threads, apiKey)) {
            System.out.printf("serving %s on http://127.0.0.1:%d/predict%s (Ctrl-C to stop)%n",
                    classifier.manifest().name(), server.port(), apiKey == null ? "" : ", x-api-key required");
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
