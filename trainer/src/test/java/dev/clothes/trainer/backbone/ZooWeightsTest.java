package dev.clothes.trainer.backbone;

import com.sun.net.httpserver.HttpServer;

import dev.clothes.trainer.TrainingException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.common.resources.DL4JResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The zoo's own download, pointed at a loopback site through the zoo's mirror setting, and its
 * cache at a temporary folder; both are the zoo's global settings, restored after each test.
 */
class ZooWeightsTest {

    private static final String XCEPTION_FILE = "xception_dl4j_inference.v2.zip";

    @TempDir
    Path tmp;

    private String baseUrl;
    private File baseDirectory;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void pointTheZooAtTmp() {
        baseUrl = DL4JResources.getBaseDownloadURL();
        baseDirectory = DL4JResources.getBaseDirectory();
        DL4JResources.setBaseDirectory(tmp.toFile());
    }

    @AfterEach
    void restoreTheZoo() {
        DL4JResources.setBaseDownloadURL(baseUrl);
        DL4JResources.setBaseDirectory(baseDirectory);
    }

    @Test
    void anUnreachableSiteFailsSayingWhatTheZooTriedAndWhereTheFileGoes() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        DL4JResources.setBaseDownloadURL("http://127.0.0.1:" + closedPort + "/");

        assertThatThrownBy(() -> Backbones.byId("xception").pretrained(null, new PrintStream(log, true)))
                .isInstanceOfSatisfying(TrainingException.class,
                        e -> assertThat(e.kind()).isEqualTo(TrainingException.Kind.WEIGHTS_UNAVAILABLE))
                .hasMessageContaining("http://127.0.0.1:" + closedPort + "/models/" + XCEPTION_FILE)
                .hasMessageContaining(tmp.resolve("models").resolve("xception").resolve(XCEPTION_FILE).toString())
                .hasMessageContaining("--weights PATH")
                .hasMessageContaining("-Dorg.deeplearning4j.resources.baseurl=");
    }

    @Test
    void aDownloadFailingTheZoosChecksumIsRefusedAndNotKept() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/" + XCEPTION_FILE, exchange -> {
            requests.incrementAndGet();
            byte[] body = "not the zoo's weights".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            DL4JResources.setBaseDownloadURL("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            assertThatThrownBy(() -> Backbones.byId("xception").pretrained(null, new PrintStream(log, true)))
                    .isInstanceOf(TrainingException.class).hasMessageContaining("checksum");
        } finally {
            server.stop(0);
        }
        assertThat(requests).hasValue(1);
        assertThat(tmp.resolve("models").resolve("xception").resolve(XCEPTION_FILE)).doesNotExist();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("xception: ImageNet weights through the DL4J zoo");
    }

    @Test
    void aFileThatIsNotASavedGraphIsRefusedBeforeAnyFeatureWork() throws Exception {
        Path text = Files.writeString(tmp.resolve("weights.zip"), "not a model\n");
        assertThatThrownBy(() -> Backbones.byId("resnet50").pretrained(text, new PrintStream(log, true)))
                .isInstanceOfSatisfying(TrainingException.class,
                        e -> assertThat(e.kind()).isEqualTo(TrainingException.Kind.WEIGHTS_INVALID))
                .hasMessageContaining("is not a DL4J saved model (no zip signature)");
    }
}
