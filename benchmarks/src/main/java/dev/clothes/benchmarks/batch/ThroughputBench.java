package dev.clothes.benchmarks.batch;

import dev.clothes.benchmarks.machine.Load;
import dev.clothes.batch.input.ImageSource;
import dev.clothes.batch.job.JobOptions;
import dev.clothes.batch.job.JobSummary;
import dev.clothes.batch.job.ScoringJob;
import dev.clothes.batch.job.TaskProfile;
import dev.clothes.batch.output.ScoreOutput;
import dev.clothes.inference.classify.Classification;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Images per second over every image of a folder, in one JVM and one run: plain loops over
 * {@link Classifier#classify(byte[], int)} (read, decode, preprocess, infer, OOD verdict) with the threads spread
 * in every way the cores allow, against the Spark job on {@code local[N]} writing Parquet. Rounds alternate the
 * modes and each mode keeps its best round (the machine is shared: the best round is the one least disturbed);
 * the loop's and the job's labels must be the same. Writes one CSV row per mode with its threads and the load
 * average, and a second CSV with where each mode's time went per image.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Images per second of plain loops over Classifier (threads chosen per core) and of the Spark job "
                + "on local[N], every image under --images, in rounds alternating the modes (best round kept); "
                + "labels of the loops and the job compared.", "", "Options:"})
public final class ThroughputBench implements Callable<Integer> {

    @Option(names = "--bundle", required = true, description = "Model bundle (directory or zip).")
    Path bundle;

    @Option(names = "--images", required = true, description = "Folder scored, recursively (e.g. the dataset's root).")
    Path images;

    @Option(names = "--cores", defaultValue = "2", description = "Cores to use: local[N] and the loops' threads "
            + "(default: ${DEFAULT-VALUE}).")
    int cores;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds over all modes (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warm-up", defaultValue = "200",
            description = "Images each mode scores before it is timed (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--modes", split = ",", defaultValue = "loop-default,loop-one-core,loop-per-core,spark",
            description = "Modes to run: loop-default (one thread feeding a model with ClassifierOptions.DEFAULT's "
                    + "2 threads), loop-one-core (1 x 1), loop-per-core (--cores threads each feeding its own 1-thread "
                    + "model), spark (local[--cores], 1 model thread per task) (default: ${DEFAULT-VALUE}).")
    List<String> modeNames;

    @Option(names = "--partitions", defaultValue = "0",
            description = "The job's tasks per commit (default: 0, the job's own default of 4 per task slot).")
    int partitions;

    @Option(names = "--out", required = true, description = "Throughput CSV to write.")
    Path out;

    @Option(names = "--profile", description = "CSV of where the time went per image, per mode (default: none).")
    Path profileOut;

    /** Images under --images: a run over fewer is a warm-up. */
    private int all;

    /** One way of scoring every image: its threads, its best round, and where its time went. */
    private record Mode(String name, int feeders, int modelThreads) {
        String threads() {
            return feeders + " x " + modelThreads;
        }
    }

    private record Run(double seconds, int images, Map<String, String> labels, String profileCsv, double load) {
    }

    @Override
    public Integer call() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(images)) {
            files = walk.filter(Files::isRegularFile).filter(ThroughputBench::isImage)
                    .map(f -> f.toAbsolutePath().normalize()).sorted().toList();
        }
        List<Mode> modes = new ArrayList<>();
        for (String name : modeNames) {
            modes.add(switch (name) {
                case "loop-default" -> new Mode("loop", 1, RuntimeOptions.DEFAULT.threads());
                case "loop-one-core" -> new Mode("loop", 1, 1);
                case "loop-per-core" -> new Mode("loop", cores, 1);
                case "spark" -> new Mode("spark local[" + cores + "]", cores, 1);
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown mode " + name);
            });
        }
        all = files.size();
        Map<Mode, Run> best = new LinkedHashMap<>();
        String master = "local[" + cores + "]";
        Path scores = Files.createTempDirectory("throughput-bench");
        try (SparkSession spark = SparkSession.builder().master(master).appName("throughput-bench")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            spark.sparkContext().setLogLevel("WARN");
            System.out.printf(Locale.ROOT, "Spark %s, %,d images, %s, load %.2f%n", spark.version(), files.size(),
                    bundle, Load.oneMinute());
            for (Mode mode : modes) {
                run(mode, spark, files.subList(0, Math.min(warmUp, files.size())), scores);
            }
            for (int r = 1; r <= rounds; r++) {
                for (Mode mode : modes) {
                    Run run = run(mode, spark, files, scores);
                    System.out.printf(Locale.ROOT, "round %d: %s (%s threads) %.1f images/s, load %.2f%n", r,
                            mode.name(), mode.threads(), run.images() / run.seconds(), run.load());
                    best.merge(mode, run, (a, b) -> a.seconds() <= b.seconds() ? a : b);
                }
            }
        }
        // The labels every mode must give: the job's, or the last mode's.
        Map<String, String> reference = best.get(modes.get(modes.size() - 1)).labels();
        StringBuilder csv = new StringBuilder("mode,threads,images,seconds,images_per_s,load_1min\n");
        StringBuilder profile = new StringBuilder("mode,threads," + TaskProfile.CSV_HEADER + "\n");
        for (Map.Entry<Mode, Run> e : best.entrySet()) {
            Run run = e.getValue();
            long differ = reference.entrySet().stream()
                    .filter(l -> !l.getValue().equals(run.labels().get(l.getKey()))).count();
            if (differ != 0 || run.labels().size() != files.size()) {
                throw new IllegalStateException(e.getKey().name() + ": labels differ from the job's for " + differ
                        + " of " + files.size() + " images (" + run.labels().size() + " scored)");
            }
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.2f,%.1f,%.2f%n", e.getKey().name(), e.getKey().threads(),
                    run.images(), run.seconds(), run.images() / run.seconds(), run.load()));
            profile.append(e.getKey().name()).append(',').append(e.getKey().threads()).append(',')
                    .append(run.profileCsv()).append('\n');
        }
        System.out.print(csv);
        System.out.print(profile);
        Files.writeString(out, csv);
        if (profileOut != null) {
            Files.writeString(profileOut, profile);
        }
        return 0;
    }

    private Run run(Mode mode, SparkSession spark, List<Path> files, Path scores) throws Exception {
        double load = Load.oneMinute();
        if (mode.name().startsWith("spark")) {
            ImageSource source = files.size() == all
                    ? new ImageSource.Folder(root().toString(), ImageSource.Folder.IMAGE_GLOB)
                    : new ImageSource.Catalog(catalog(files, scores.resolve("warm-up.csv")).toString(),
                            ImageSource.Catalog.Format.CSV, "id", "location");
            Path output = scores.resolve("scores");
            JobSummary job = ScoringJob.run(spark, JobOptions.of(bundle, source,
                    new ScoreOutput(output.toString(), ScoreOutput.Format.PARQUET, ScoreOutput.IfExists.OVERWRITE))
                    .withPartitions(partitions));
            System.out.println(job.line());
            System.out.println(job.profile().line());
            Map<String, String> labels = new HashMap<>();
            for (Row r : spark.read().parquet(output.toString()).select("id", "label").collectAsList()) {
                labels.put(root().relativize(Path.of(URI.create(r.getString(0)))).toString(), r.getString(1));
            }
            if (job.errors() != 0) {
                throw new IllegalStateException(job.errors() + " images failed in the job");
            }
            return new Run(job.seconds(), (int) job.rows(), labels, job.profile().csv(), load);
        }
        return loop(mode, files, load);
    }

    /** {@code feeders} threads share the images, each reading and classifying one at a time. */
    private Run loop(Mode mode, List<Path> files, double load) throws Exception {
        Map<String, String> labels = new ConcurrentHashMap<>();
        LongAdder read = new LongAdder();
        LongAdder decode = new LongAdder();
        LongAdder preprocess = new LongAdder();
        LongAdder inference = new LongAdder();
        LongAdder rest = new LongAdder();
        AtomicInteger next = new AtomicInteger();
        Path root = root();
        ExecutorService feeders = Executors.newFixedThreadPool(mode.feeders());
        try (Classifier classifier = Classifier.open(bundle,
                ClassifierOptions.DEFAULT.withRuntime(new RuntimeOptions(mode.modelThreads(), mode.feeders())))) {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int f = 0; f < mode.feeders(); f++) {
                done.add(feeders.submit(() -> {
                    for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        byte[] bytes = readAll(files.get(i));
                        long t1 = System.nanoTime();
                        Classification c = classifier.classify(bytes, 3);
                        long t2 = System.nanoTime();
                        labels.put(root.relativize(files.get(i)).toString(), c.top().label());
                        read.add(t1 - t0);
                        decode.add(c.timings().decodeNanos());
                        preprocess.add(c.timings().preprocessNanos());
                        inference.add(c.timings().inferenceNanos());
                        rest.add(t2 - t1 - c.timings().totalNanos());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double n = files.size();
            TaskProfile profile = new TaskProfile(read.sum() / 1e6 / n, decode.sum() / 1e6 / n,
                    preprocess.sum() / 1e6 / n, inference.sum() / 1e6 / n, rest.sum() / 1e6 / n, 0,
                    Math.max(0, seconds * 1e3 * mode.feeders() - (read.sum() + decode.sum() + preprocess.sum()
                            + inference.sum() + rest.sum()) / 1e6) / n);
            return new Run(seconds, files.size(), labels, profile.csv(), load);
        } finally {
            feeders.shutdownNow();
        }
    }

    /** The warm-up's slice as a catalog (file paths) the job reads; its timed rounds list the folder itself. */
    private static Path catalog(List<Path> files, Path csv) throws IOException {
        StringBuilder rows = new StringBuilder("id,location\n");
        files.forEach(f -> rows.append(f.toUri()).append(',').append(f.toUri()).append('\n'));
        return Files.writeString(csv, rows);
    }

    private Path root() {
        return images.toAbsolutePath().normalize();
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Stream.of(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp").anyMatch(name::endsWith);
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
