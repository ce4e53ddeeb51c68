package dev.clothes.lambda.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The JDK HTTP server on 127.0.0.1, as the local endpoint and the Runtime API emulator use it. */
final class LoopbackHttpServer {

    private LoopbackHttpServer() {
    }

    /** @param port 0 for any free port */
    static HttpServer create(int port, int backlog) throws IOException {
        // Without TCP_NODELAY the server's small writes meet delayed ACKs: ~40 ms added to each exchange.
        // The JDK reads this once, when its first server starts in the JVM.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), backlog);
    }
}
