package dev.camel.eventstore.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's HTTP service: a local server that accepts every POST under {@code /orders/} with 200 and counts what
 * it received, standing in for the service a real HTTP connector would call.
 */
final class DemoHttpReceiver implements AutoCloseable {
    static final String PATH = "/orders/";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicReference<String> lastPath = new AtomicReference<>("");

    private DemoHttpReceiver(HttpServer server) {
        this.server = server;
    }

    static DemoHttpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        DemoHttpReceiver receiver = new DemoHttpReceiver(server);
        server.createContext(PATH, receiver::handle);
        server.setExecutor(receiver.threads);
        server.start();
        return receiver;
    }

    /** The URL the HTTP connector posts to, with the connector's {@code {stream}} placeholder. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH + "{stream}";
    }

    long requests() {
        return requests.get();
    }

    String lastPath() {
        return lastPath.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            requests.incrementAndGet();
            lastPath.set(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
