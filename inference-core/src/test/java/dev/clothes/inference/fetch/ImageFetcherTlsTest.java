package dev.clothes.inference.fetch;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.clothes.inference.fetch.FetchException.Kind;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * HTTPS to a pinned address: a real TLS server on loopback with a certificate for images.test (made by the
 * JDK's keytool). The fetcher connects to the checked address yet still sends SNI and verifies the name.
 */
class ImageFetcherTlsTest {

    private static final byte[] IMAGE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3};
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final List<String> serverNamesSeen = new CopyOnWriteArrayList<>();
    private static HttpsServer server;
    private static SSLContext clientTls;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=images.test", "-ext", "SAN=dns:images.test", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("images.test", keys.getCertificate("server"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setSNIMatchers(List.of(new SNIMatcher(0) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        serverNamesSeen.add(((SNIHostName) name).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/img.jpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, IMAGE.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(IMAGE);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static ImageFetcher fetcherResolvingEverythingToLoopback() {
        HostResolver toLoopback = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        return new ImageFetcher(FetchLimits.DEFAULT, AddressPolicy.ALLOW_ALL, toLoopback, clientTls.getSocketFactory());
    }

    @Test
    void sendsTheUrlsHostAsSniAndAcceptsItsCertificate() {
        serverNamesSeen.clear();
        byte[] body = fetcherResolvingEverythingToLoopback()
                .fetch("https://images.test:" + server.getAddress().getPort() + "/img.jpg");
        assertThat(body).isEqualTo(IMAGE);
        assertThat(serverNamesSeen).containsOnly("images.test");
    }

    @Test
    void refusesACertificateForAnotherName() {
        FetchException e = catchThrowableOfType(FetchException.class, () -> fetcherResolvingEverythingToLoopback()
                .fetch("https://elsewhere.test:" + server.getAddress().getPort() + "/img.jpg"));
        assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(e.getMessage()).startsWith("TLS with elsewhere.test").contains("elsewhere.test");
    }

    @Test
    void refusesAnUntrustedCertificate() {
        ImageFetcher systemTrust = new ImageFetcher(FetchLimits.DEFAULT, AddressPolicy.ALLOW_ALL,
                host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")},
                (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault());
        FetchException e = catchThrowableOfType(FetchException.class,
                () -> systemTrust.fetch("https://images.test:" + server.getAddress().getPort() + "/img.jpg"));
        assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(e.getMessage()).startsWith("TLS with images.test");
    }
}
