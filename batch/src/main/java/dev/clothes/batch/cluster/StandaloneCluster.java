package dev.clothes.batch.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on loopback, run by {@code batch/spark-cluster.sh} (the one way this project starts,
 * submits to and stops one): started on construction, stopped on {@link #close()}.
 */
public final class StandaloneCluster implements AutoCloseable {

    private final Path script;
    private final Path dir;

    /** What one submission printed (stdout and stderr, also in its log file) and how it exited. */
    public record Submission(int exitCode, String output, double seconds) {
    }

    private StandaloneCluster(Path script, Path dir) {
        this.script = script;
        this.dir = dir;
    }

    /**
     * @param script  {@code batch/spark-cluster.sh}
     * @param dir     the cluster's state, logs and work folders
     * @param workers workers started, each offering {@code cores} cores
     */
    public static StandaloneCluster start(Path script, Path dir, int workers, int cores) throws IOException {
        StandaloneCluster cluster = new StandaloneCluster(script, dir);
        List<String> command = List.of("start", "--workers", Integer.toString(workers), "--cores",
                Integer.toString(cores), "--memory", "2g", "--port", Integer.toString(freePort()), "--ui-port", "0");
        Submission started = cluster.run(command, dir.resolve("start.log"), 5);
        if (started.exitCode() != 0) {
            cluster.close();
            throw new IllegalStateException("the cluster did not start:\n" + started.output());
        }
        return cluster;
    }

    /** spark-submit against the master: Spark's options, then the application jar and its arguments. */
    public Submission submit(List<String> sparkSubmitArguments, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("submit"));
        command.addAll(sparkSubmitArguments);
        return run(command, log, 60);
    }

    /** The folder with the cluster's logs and the workers' work folders (one per application and executor). */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        run(List.of("stop"), dir.resolve("stop.log"), 2);
    }

    private Submission run(List<String> arguments, Path log, int timeoutMinutes) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(arguments);
        command.addAll(List.of("--dir", dir.toString()));
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", arguments.subList(0, 1)) + " took over "
                        + timeoutMinutes + " minutes:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return new Submission(process.exitValue(), Files.readString(log), (System.nanoTime() - start) / 1e9);
    }

    /** A loopback port free a moment ago, for the master. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
