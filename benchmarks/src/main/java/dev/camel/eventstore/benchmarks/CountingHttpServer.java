package dev.camel.eventstore.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP sink of the benchmarks: the JDK's HttpServer answering 200 with no body at once, counting the events it
 * received (a batch counts its {@code esdb-batch-size}) and keeping nothing else, so a million events cost no memory.
 * Optionally it records each single event's latency, and when each connector's first request arrived.
 */
final class CountingHttpServer implements AutoCloseable {
    static {
        // without it each answer waits for Nagle's algorithm: ~40 ms per request
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Long> firstRequest = new ConcurrentHashMap<>();
    private volatile LatencyRecorder latencies;

    CountingHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String connector = exchange.getRequestHeaders().getFirst("esdb-connector-id");
        if (connector != null) {
            firstRequest.putIfAbsent(connector, received);
        }
        String batch = exchange.getRequestHeaders().getFirst("esdb-batch-size");
        LatencyRecorder recorder = latencies;
        if (batch == null && recorder != null && body.length > 0) {
            recorder.record(received - Events.appendNanos(body));
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
        requests.incrementAndGet();
        events.addAndGet(batch == null ? 1 : Integer.parseInt(batch));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    long events() {
        return events.get();
    }

    long requests() {
        return requests.get();
    }

    /** When the first request of this connector arrived ({@link System#nanoTime()}), or null. */
    Long firstRequest(String connectorId) {
        return firstRequest.get(connectorId);
    }

    void recordLatencies(LatencyRecorder recorder) {
        this.latencies = recorder;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
