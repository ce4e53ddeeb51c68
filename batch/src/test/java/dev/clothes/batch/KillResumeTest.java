package dev.clothes.batch;

import dev.clothes.batch.cluster.ScoresComparison;
import dev.clothes.batch.cli.ScoreCommand;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.job.JobOptions;
import dev.clothes.batch.job.ScoringJob;
import dev.clothes.batch.output.ScoreOutput;
import dev.clothes.batch.output.ScoredRows;
import dev.clothes.cli.ChildJvm;
import dev.clothes.testing.Shared;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real run (the score command in its own JVM) killed with SIGKILL half-way, then started again with
 * {@code --if-exists skip-existing}: the second run fetches and scores only the rows the first did not commit,
 * and the output ends up equal, row for row, to an uninterrupted run's.
 */
class KillResumeTest {

    private static final List<String> CLASSES = List.of("dress", "hat", "skirt");
    private static final int PHOTOS = 24;
    /** The server answers this many requests, then holds every other one until the first run is killed. */
    private static final int ANSWERED = 12;

    @TempDir
    Path tmp;

    @Test
    void aKilledRunStartedAgainScoresOnlyTheMissingRows() throws Exception {
        List<byte[]> photos = new ArrayList<>();
        for (String c : CLASSES) {
            try (Stream<Path> files = Files.list(Shared.dataset().resolve("test").resolve(c))) {
                for (Path photo : files.sorted().limit(PHOTOS / CLASSES.size()).toList()) {
                    photos.add(Files.readAllBytes(photo));
                }
            }
        }
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try {
                if (requests.incrementAndGet() > ANSWERED) {
                    killed.await();
                }
                byte[] photo = photos.get(Integer.parseInt(exchange.getRequestURI().getPath().replaceAll("\\D", "")));
                exchange.sendResponseHeaders(200, photo.length);
                exchange.getResponseBody().write(photo);
            } catch (Exception client) {
                // The killed run's connections are gone.
            } finally {
                exchange.close();
            }
        });
        server.start();
        try {
            StringBuilder csv = new StringBuilder("id,location\n");
            for (int i = 0; i < PHOTOS; i++) {
                csv.append("photo-").append(i).append(",http://127.0.0.1:").append(server.getAddress().getPort())
                        .append('/').append(i).append(".jpg\n");
            }
            Path catalog = Files.writeString(tmp.resolve("catalog.csv"), csv);
            Path bundle = tmp.resolve("bundle");
            TinyBundles.tflite(CLASSES).writeTo(bundle);
            Path out = tmp.resolve("scores");
            List<String> arguments = List.of("--master", "local[2]", "--bundle", bundle.toString(), "--catalog",
                    catalog.toString(), "--out", out.toString(), "--allow-loopback-urls", "--commit-every", "6");

            // Commits of about 6 rows, one Spark job each, one after another: once a request is held, every
            // commit before the one it belongs to has ended.
            List<String> command = new ArrayList<>(List.of(
                    ChildJvm.java(), "-Xmx1g"));
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")).forEach(command::add);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScoreCommand.class.getName()));
            command.addAll(arguments);
            Path log = tmp.resolve("killed.log");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (requests.get() <= ANSWERED) {
                assertThat(child.isAlive()).as("the run ended before it could be killed:\n%s", Files.readString(log))
                        .isTrue();
                assertThat(System.nanoTime()).as("no request held within 120 s").isLessThan(deadline);
                Thread.sleep(5);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup, a task's files half written
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            killed.countDown();

            SparkSession spark = SparkSession.builder().master("local[2]").appName("kill-test")
                    .config("spark.ui.enabled", "false").getOrCreate();
            Set<String> committed;
            try {
                committed = ids(spark, out);
            } finally {
                spark.stop();
            }
            assertThat(committed).as("rows committed before the kill").isNotEmpty().hasSizeLessThan(PHOTOS);

            int before = requests.get();
            StringWriter printed = new StringWriter();
            List<String> again = new ArrayList<>(arguments);
            again.addAll(List.of("--if-exists", "skip-existing"));
            assertThat(ScoreCommand.commandLine().setOut(new PrintWriter(printed, true))
                    .execute(again.toArray(String[]::new))).isZero();
            int missing = PHOTOS - committed.size();
            assertThat(printed.toString()).contains("scored " + missing + " images (0 errors)");
            assertThat(requests.get() - before).as("photos fetched by the second run").isEqualTo(missing);

            // Nothing lost, nothing twice, every row as an uninterrupted run writes it.
            spark = SparkSession.builder().master("local[2]").appName("kill-test")
                    .config("spark.ui.enabled", "false").getOrCreate();
            try {
                Path reference = tmp.resolve("reference");
                ScoringJob.run(spark, JobOptions.of(bundle, new ImageSource.Catalog(catalog.toString(),
                        ImageSource.Catalog.Format.CSV, "id", "location"), new ScoreOutput(reference.toString(),
                        ScoreOutput.Format.PARQUET, ScoreOutput.IfExists.OVERWRITE)).withLoopbackUrls(true));
                assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(PHOTOS);
                assertThat(ScoresComparison.differences(spark, out.toString(), reference.toString(),
                        ScoreOutput.Format.PARQUET, 10)).isEmpty();
            } finally {
                spark.stop();
            }
            System.out.printf("killed with %d of %d rows committed; the second run scored %d%n", committed.size(),
                    PHOTOS, missing);
        } finally {
            server.stop(0);
        }
    }

    private static Set<String> ids(SparkSession spark, Path out) {
        Set<String> ids = new HashSet<>();
        for (Row row : spark.read().schema(ScoredRows.SCHEMA).parquet(out.toString()).select("id").collectAsList()) {
            assertThat(ids.add(row.getString(0))).as("id %s twice", row.getString(0)).isTrue();
        }
        return ids;
    }
}
