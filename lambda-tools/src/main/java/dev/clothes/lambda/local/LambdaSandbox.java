package dev.clothes.lambda.local;

import dev.clothes.cli.ChildJvm;
import dev.clothes.lambda.deploy.CfnTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs an unpacked function package the way the Lambda java21 managed runtime does, with Lambda's
 * limits: the package read-only at {@code /var/task}, the Runtime Interface Client read-only at
 * {@code /var/runtime}, a small empty {@code /tmp} as the only writable place, no home directory, a
 * non-root user (nobody), the heap capped for the function's memory size, and the template's
 * {@code JAVA_TOOL_OPTIONS}. Linux only, started as root: a private mount namespace ({@code unshare})
 * holds the mounts and {@code setpriv} drops to nobody before the JVM starts. When the function exits,
 * the sandbox lists every file left in {@code /tmp} on lines starting with {@link #WROTE}. The JVM runs on
 * as many cores as Lambda gives the memory size ({@link FunctionConfig#cpuList()}).
 */
public final class LambdaSandbox {

    /** Prefix of the lines that list what the function left in /tmp. */
    public static final String WROTE = "sandbox-wrote: ";
    private static final int NOBODY = 65534;

    /** What the deployment template sets for the function. */
    public record FunctionConfig(int memoryMb, int tmpMb, String javaToolOptions, Map<String, String> environment) {
        public FunctionConfig {
            if (memoryMb < 128 || memoryMb > 10_240) {
                throw new IllegalArgumentException("Lambda memory is 128..10240 MB, got " + memoryMb);
            }
            if (tmpMb < 1) {
                throw new IllegalArgumentException("/tmp needs at least 1 MB, got " + tmpMb);
            }
            environment = Map.copyOf(environment);
        }

        /**
         * The function as {@code template} deploys it: its MemorySize default, JAVA_TOOL_OPTIONS and
         * other environment variables, and the variables Lambda sets for its LoggingConfig
         * ({@code AWS_LAMBDA_LOG_FORMAT}, {@code AWS_LAMBDA_LOG_LEVEL}).
         */
        public static FunctionConfig fromTemplate(CfnTemplate template, int tmpMb) {
            String function = template.onlyResource("AWS::Serverless::Function");
            Object memory = template.map("Parameters", "MemorySize").get("Default");
            Map<String, String> environment = new java.util.TreeMap<>();
            template.map("Resources", function, "Properties", "Environment", "Variables")
                    .forEach((k, v) -> environment.put(k, String.valueOf(v)));
            if (template.map("Resources", function, "Properties").get("LoggingConfig") instanceof Map<?, ?> logging) {
                if (logging.get("LogFormat") instanceof String format) {
                    environment.put("AWS_LAMBDA_LOG_FORMAT", format);
                }
                if (logging.get("ApplicationLogLevel") instanceof String level) {
                    environment.put("AWS_LAMBDA_LOG_LEVEL", level);
                }
            }
            String javaToolOptions = environment.remove("JAVA_TOOL_OPTIONS");
            return new FunctionConfig(Integer.parseInt(String.valueOf(memory)), tmpMb,
                    javaToolOptions == null ? "" : javaToolOptions, environment);
        }

        /**
         * Cores the function may run on: Lambda gives one vCPU's worth at 1,769 MB and more above; here the
         * JVM is pinned to one core up to that size, two above (a share of a core below it is not modelled).
         */
        public String cpuList() {
            return memoryMb <= 1769 ? "0" : "0-1";
        }

        /** Lambda leaves room beside the heap for metaspace, threads and native memory. */
        public int heapMb() {
            return memoryMb * 85 / 100;
        }
    }

    private final Path task;
    private final Path runtime;

    private LambdaSandbox(Path task, Path runtime) {
        this.task = task;
        this.runtime = runtime;
    }

    /**
     * @param unpackedPackage the function package, unpacked ({@code lib/}, {@code native/}, {@code model/})
     * @param workDir         an empty folder for the runtime layer (the Runtime Interface Client)
     */
    public static LambdaSandbox prepare(Path unpackedPackage, Path workDir) throws IOException {
        Path runtime = Files.createDirectories(workDir.resolve("runtime"));
        Path ric = jarOf(RuntimeApiEmulator.RIC_MAIN);
        Files.copy(ric, runtime.resolve(ric.getFileName()));
        Path serialization = jarOf("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer");
        Files.copy(serialization, runtime.resolve(serialization.getFileName()));
        // Lambda's runtime layer has the client's JNI library installed; the jar would unpack it to /tmp.
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(ric.toFile());
             InputStream in = zip.getInputStream(zip.getEntry("jni/libaws-lambda-jni.linux-" + jniArch() + ".so"))) {
            Files.copy(in, runtime.resolve("libaws-lambda-jni.so"));
        }
        readableByAll(unpackedPackage);
        readableByAll(runtime);
        return new LambdaSandbox(unpackedPackage, runtime);
    }

    /** The runtime layer: the Runtime Interface Client's jars and its JNI library ({@code libaws-lambda-jni.so}). */
    public Path runtimeDir() {
        return runtime;
    }

    /**
     * Starts the function against the Runtime API at {@code runtimeApi}.
     *
     * @param snapStart run the SnapStart sequence first (checkpoint hooks, {@code restore/next}, restore hooks)
     */
    public Process start(FunctionConfig config, String runtimeApi, boolean snapStart, Path log) throws IOException {
        String java = ChildJvm.java();
        List<String> env = new ArrayList<>(List.of(
                "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=en_US.UTF-8", "TZ=:UTC",
                "HOME=/home/sbx-no-home", "LAMBDA_TASK_ROOT=/var/task", "LAMBDA_RUNTIME_DIR=/var/runtime",
                "AWS_LAMBDA_RUNTIME_API=" + runtimeApi, "AWS_LAMBDA_FUNCTION_NAME=clothes-classifier",
                "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + config.memoryMb(),
                "JAVA_TOOL_OPTIONS=" + config.javaToolOptions()));
        config.environment().forEach((k, v) -> env.add(k + "=" + v));
        if (snapStart) {
            env.add("AWS_LAMBDA_INITIALIZATION_TYPE=snap-start");
        }
        List<String> command = new ArrayList<>(List.of("taskset", "--cpu-list", config.cpuList(), "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--inh-caps=-all", "--", "env", "-i"));
        command.addAll(env);
        command.addAll(List.of(java, "-XX:MaxHeapSize=" + config.heapMb() + "m", "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                // Bridges org.crac (the handler's hooks) to the client's own CRaC context, as Lambda's runtime does.
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                        + "/var/runtime/libaws-lambda-jni.so",
                "-cp", "/var/runtime/*:/var/task/lib/*", RuntimeApiEmulator.RIC_MAIN, RuntimeApiEmulator.HANDLER));
        String script = """
                set -e
                mount -t tmpfs -o size=1m,mode=755 sandbox-var /var
                mkdir /var/task /var/runtime
                mount --bind "$SANDBOX_TASK" /var/task && mount -o remount,bind,ro /var/task
                mount --bind "$SANDBOX_RUNTIME" /var/runtime && mount -o remount,bind,ro /var/runtime
                mount -t tmpfs -o size="$SANDBOX_TMP_MB"m,mode=1777 sandbox-tmp /tmp
                set +e
                "$@"
                status=$?
                find /tmp -mindepth 1 -printf '%s%%p %%s bytes\\n'
                exit $status
                """.formatted(WROTE);
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
                "bash", "-c", script, "sandbox"));
        wrapped.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(wrapped).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SANDBOX_TASK", task.toAbsolutePath().toString());
        pb.environment().put("SANDBOX_RUNTIME", runtime.toAbsolutePath().toString());
        pb.environment().put("SANDBOX_TMP_MB", String.valueOf(config.tmpMb()));
        return pb.start();
    }

    /** The files the function left in /tmp, from a finished sandbox's log. */
    public static List<String> writes(String log) {
        return log.lines().filter(l -> l.startsWith(WROTE)).map(l -> l.substring(WROTE.length())).toList();
    }

    /** The function's JVM inside a started sandbox (the process tree is unshare, bash, the JVM). */
    public static ProcessHandle jvm(Process sandbox) {
        return sandbox.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("the function's JVM is not running"));
    }

    private static String jniArch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") ? "aarch_64" : "x86_64";
    }

    private static Path jarOf(String className) throws IOException {
        try {
            return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IOException("the Lambda Runtime Interface Client is not on the classpath: " + e.getMessage(), e);
        }
    }

    /** nobody must read the package, as Lambda's runtime user reads /var/task. */
    private static void readableByAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
