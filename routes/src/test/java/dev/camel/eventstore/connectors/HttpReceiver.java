package dev.camel.eventstore.connectors;

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
 * A real local HTTP(S) server for the HTTP sink's tests: records every request, answers with the status the test
 * chooses per request number, and tracks how many requests of one stream it handles at once.
 */
final class HttpReceiver implements AutoCloseable {
    /** One request as received. */
    record Request(int number, String method, String path, Headers headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** What the receiver does with a request before answering: may block, to hold the answer back. */
    interface Hold {
        void before(int number) throws InterruptedException;
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Requests answered with a success status, in the order they were answered. */
    final List<Request> accepted = new CopyOnWriteArrayList<>();

    final AtomicInteger maxConcurrent = new AtomicInteger();
    final List<String> concurrentSameStream = new CopyOnWriteArrayList<>();
    volatile IntUnaryOperator status = n -> 200;
    volatile Hold hold = n -> {};

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final Map<String, AtomicInteger> perStream = new ConcurrentHashMap<>();

    private HttpReceiver(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    static HttpReceiver http() throws IOException {
        return new HttpReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    static HttpReceiver https(SSLContext ssl) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        return new HttpReceiver(server);
    }

    String url(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        int number = counter.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String stream = exchange.getRequestHeaders().getFirst("esdb-record-stream-id");
        Request request = new Request(
                number,
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders(),
                body);
        requests.add(request);
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
