package dev.clothes.trainer.cli;

import dev.clothes.cli.UserErrorHandler;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.common.resources.DL4JResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A mistake on the {@code train} command line is one line and exit 2, found before any training. */
class TrainCommandErrorsTest {

    @TempDir
    Path tmp;

    private record Run(int exitCode, String err) {
        String firstLine() {
            return err.lines().findFirst().orElse("");
        }
    }

    private Run train(String... args) {
        StringWriter err = new StringWriter();
        String[] argv = new String[args.length + 1];
        argv[0] = "train";
        System.arraycopy(args, 0, argv, 1, args.length);
        int code = TrainerCli.commandLine().setErr(new PrintWriter(err, true)).execute(argv);
        return new Run(code, err.toString());
    }

    /** Two classes, one placeholder file each per split: enough to open, never decoded here. */
    private Path dataset() throws Exception {
        Path root = tmp.resolve("data");
        for (String split : List.of("train", "validation", "test")) {
            for (String label : List.of("shoes", "shorts")) {
                Files.write(Files.createDirectories(root.resolve(split).resolve(label)).resolve("a.jpg"), new byte[] {1});
            }
        }
        return root;
    }

    @Test
    void anOptionValueTheOptionsRefuseIsAUsageErrorNamingIt() {
        Run run = train("--data", tmp.resolve("none").toString(), "--out", tmp.resolve("run").toString(),
                "--epochs", "0");
        assertThat(run.exitCode()).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(run.firstLine()).isEqualTo("invalid option value: epochs must be at least 1, not 0");
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");

        Run dropout = train("--data", tmp.resolve("none").toString(), "--dropout", "1.5");
        assertThat(dropout.exitCode()).isEqualTo(2);
        assertThat(dropout.firstLine()).contains("not 1.5");

        Run backbone = train("--data", tmp.resolve("none").toString(), "--backbone", "vgg19");
        assertThat(backbone.exitCode()).isEqualTo(2);
        assertThat(backbone.firstLine()).contains("unknown backbone 'vgg19'");
    }

    @Test
    void weightsThatAreNotAModelFileAreOneLine() throws Exception {
        Path weights = Files.writeString(tmp.resolve("weights.txt"), "not a model\n");
        Run run = train("--data", dataset().toString(), "--out", tmp.resolve("run").toString(),
                "--cache", tmp.resolve("cache").toString(), "--backbone", "mobilenet-v2", "--weights", weights.toString());
        assertThat(run.exitCode()).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(run.err()).isEqualTo("error: " + weights + " is not a TensorFlow Lite file (no TFL3 identifier); "
                + "--weights takes a .tflite (mobilenet-v2, mobilenet-edgetpu), a Keras .h5, or the zoo's .zip for a zoo "
                + "backbone" + System.lineSeparator());
        // With the default two trunks, one weights file is refused before anything is read.
        Run two = train("--data", dataset().toString(), "--out", tmp.resolve("run").toString(),
                "--cache", tmp.resolve("cache").toString(), "--weights", weights.toString());
        assertThat(two.exitCode()).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(two.firstLine()).contains("--weights names one file; with several trunks");
    }

    /** The zoo's site is a closed loopback port here (the zoo's mirror setting, restored after). */
    @Test
    void aZooBackboneWhoseWeightsTheZooCannotFetchFailsBeforeAnyFeatureWork() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String baseUrl = DL4JResources.getBaseDownloadURL();
        File baseDirectory = DL4JResources.getBaseDirectory();
        DL4JResources.setBaseDownloadURL("http://127.0.0.1:" + closedPort + "/");
        DL4JResources.setBaseDirectory(Files.createDirectories(tmp.resolve("zoo")).toFile());
        try {
            // The placeholder images are not decodable: reaching feature work would fail differently.
            Run run = train("--data", dataset().toString(), "--out", tmp.resolve("run").toString(),
                    "--cache", tmp.resolve("cache").toString(), "--backbone", "xception");
            assertThat(run.exitCode()).isEqualTo(UserErrorHandler.USER_ERROR);
            assertThat(run.err()).startsWith("error: the DL4J zoo cannot provide xception's ImageNet weights from http://127.0.0.1:"
                    + closedPort + "/models/xception_dl4j_inference.v2.zip").hasLineCount(1);
        } finally {
            DL4JResources.setBaseDownloadURL(baseUrl);
            DL4JResources.setBaseDirectory(baseDirectory);
        }
    }

    @Test
    void aTextFileNamedH5IsRefusedForInceptionToo() throws Exception {
        Path weights = Files.writeString(tmp.resolve("weights.h5"), "not a model\n");
        Run run = train("--data", dataset().toString(), "--out", tmp.resolve("run").toString(),
                "--cache", tmp.resolve("cache").toString(), "--backbone", "inception-v3", "--weights", weights.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: " + weights + " is not a Keras .h5 file (no HDF5 signature)")
                .hasLineCount(1);
    }
}
