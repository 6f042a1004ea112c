package dev.camel.eventstore.testkit.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * A real local HTTP(S) server for tests of HTTP sinks: records every request, answers with the status the test
 * chooses per request number (200 by default), can hold answers back, and tracks how many requests of one stream
 * (header {@code esdb-record-stream-id}) it handles at once. It keeps every request in memory: for tests only.
 */
public final class HttpTestReceiver implements AutoCloseable {
    /** One request as received; {@code number} counts from 1 in arrival order. */
    public record Request(int number, String method, String path, Headers headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** What the receiver does with a request before answering: may block, to hold the answer back. */
    public interface Hold {
        void before(int number) throws InterruptedException;
    }

    static {
        // The JDK's server writes a response's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed acknowledgement of the headers: about 40 ms per request on Linux, which
        // would make every sink look slow. Read once per JVM, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final List<String> concurrentSameStream = new CopyOnWriteArrayList<>();
    private volatile IntUnaryOperator status = n -> 200;
    private volatile Hold hold = n -> {};

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final Map<String, AtomicInteger> perStream = new ConcurrentHashMap<>();

    private HttpTestReceiver(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** A plain HTTP receiver on a free loopback port. */
    public static HttpTestReceiver http() throws IOException {
        return new HttpTestReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    /**
     * A plain HTTP receiver on the given loopback port: e.g. the port of a receiver closed before, so that a sink
     * comes back on the address its clients were refused at.
     */
    public static HttpTestReceiver http(int port) throws IOException {
        return new HttpTestReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
    }

    /** An HTTPS receiver on a free loopback port, serving the key of {@code ssl}. */
    public static HttpTestReceiver https(SSLContext ssl) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        return new HttpTestReceiver(server);
    }

    /** Every request received, in arrival order. */
    public List<Request> requests() {
        return requests;
    }

    /** Requests answered with a success status, in the order they were answered. */
    public List<Request> accepted() {
        return accepted;
    }

    /** The most requests handled at once so far. */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** One entry per request that arrived while another of the same stream was being handled. */
    public List<String> concurrentSameStream() {
        return concurrentSameStream;
    }

    /** The status to answer request number {@code n} with. */
    public void answerWith(IntUnaryOperator status) {
        this.status = status;
    }

    /** What to do before answering each request (e.g. wait for a latch). */
    public void holdWith(Hold hold) {
        this.hold = hold;
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String stream = exchange.getRequestHeaders().getFirst("esdb-record-stream-id");
        Request request;
        // numbered and listed together: request n is requests().get(n - 1), also when requests arrive at once
        synchronized (requests) {
            request = new Request(
                    counter.incrementAndGet(),
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders(),
                    body);
            requests.add(request);
        }
        int number = request.number();
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        AtomicInteger sameStream = stream == null ? null : perStream.computeIfAbsent(stream, s -> new AtomicInteger());
        if (sameStream != null && sameStream.incrementAndGet() > 1) {
            concurrentSameStream.add(stream + " at request " + number);
        }
        AtomicBoolean released = new AtomicBoolean();
        try {
            hold.before(number);
            int code = status.applyAsInt(number);
            if (code >= 200 && code < 300) {
                accepted.add(request);
            }
            // before answering: the sender may send the stream's next event as soon as it has the answer
            release(sameStream, released);
            byte[] answer = (code >= 300 ? "refused " + number : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            release(sameStream, released);
            exchange.close();
        }
    }

    private void release(AtomicInteger sameStream, AtomicBoolean released) {
        if (released.compareAndSet(false, true)) {
            concurrent.decrementAndGet();
            if (sameStream != null) {
                sameStream.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
