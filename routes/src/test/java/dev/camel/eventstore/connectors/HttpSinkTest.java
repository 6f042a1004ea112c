package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP connector against a real local HTTP(S) server and the testkit EventStoreDB server: what each request
 * carries, retries, batching with acknowledgement, order per stream with several requests in flight, TLS, and
 * settings errors.
 */
class HttpSinkTest {
    private static final EventStoreTestServer SERVER = EventStoreTestServer.startDefault();
    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private static String newPrefix(String name) {
        return "http-" + name + "-" + STREAMS.incrementAndGet() + "-";
    }

    private static List<EventData> numbered(String type, int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(n ->
                        (EventData) EventDataBuilder.json(type, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                                .metadataAsBytes(("{\"tenant\":\"acme\",\"$correlationId\":\"c-" + n + "\"}")
                                        .getBytes(StandardCharsets.UTF_8))
                                .build())
                .toList();
    }

    private HttpTestReceiver receiver() throws Exception {
        HttpTestReceiver receiver = HttpTestReceiver.http();
        closeables.add(receiver);
        return receiver;
    }

    private CamelContext context() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new ConnectorTemplates());
        context.start();
        closeables.add(context);
        return context;
    }

    /** Adds an HTTP connector reading the streams that start with {@code prefix}, from the start. */
    private static void connector(CamelContext context, String id, String prefix, Map<String, Object> settings)
            throws Exception {
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, ConnectorTemplates.HTTP)
                .routeId(id)
                .parameter("connectionString", SERVER.connectionString())
                .parameter("streamNamePrefixes", prefix)
                .parameter("initialPosition", "earliest")
                .parameter("retryInitialDelay", "20")
                .parameter("retryMaxDelay", "100");
        settings.forEach(builder::parameter);
        builder.add();
    }

    private static EventStoreConsumer consumer(CamelContext context, String id) {
        return (EventStoreConsumer) context.getRoute(id).getConsumer();
    }

    private static int number(byte[] body) throws Exception {
        return JSON.readTree(body).get("n").asInt();
    }

    private static List<Integer> numbers(List<HttpTestReceiver.Request> requests) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        for (HttpTestReceiver.Request r : requests) {
            JsonNode body = JSON.readTree(r.body());
            if (body.isArray()) {
                body.forEach(e -> numbers.add(e.get("n").asInt()));
            } else {
                numbers.add(body.get("n").asInt());
            }
        }
        return numbers;
    }

    @Test
    void eachEventIsOneRequestWithItsPathHeadersCredentialsAndData() throws Exception {
        String prefix = newPrefix("request");
        String odd = prefix + "eu/orders 1";
        SERVER.append(prefix + "a", numbered("OrderPlaced", 0, 3));
        SERVER.append(odd, numbered("OrderShipped", 3, 2));
        HttpTestReceiver receiver = receiver();
        CamelContext context = context();
        connector(
                context,
                "http-request",
                prefix,
                Map.of(
                        "url", receiver.url("/events/{stream}/{event-type}"),
                        "authMethod", "basic",
                        "username", "sink-user",
                        "password", "s3cret-pass",
                        "defaultHeaders", "X-Env=test,X-Team=orders"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 5);
        List<HttpTestReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(5);
        assertThat(numbers(requests)).containsExactly(0, 1, 2, 3, 4);
        HttpTestReceiver.Request first = requests.get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/events/" + prefix + "a/OrderPlaced");
        assertThat(requests.get(4).path()).isEqualTo("/events/" + prefix + "eu%2Forders%201/OrderShipped");
        assertThat(first.header("Authorization"))
                .isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("sink-user:s3cret-pass".getBytes(StandardCharsets.UTF_8)));
        assertThat(first.header("Content-Type")).startsWith("application/json");
        assertThat(first.header("esdb-connector-id")).isEqualTo("http-request");
        assertThat(first.header("esdb-record-stream-id")).isEqualTo(prefix + "a");
        assertThat(requests.get(4).header("esdb-record-stream-id")).isEqualTo(odd);
        assertThat(requests.get(4).header("esdb-record-stream-revision")).isEqualTo("1");
        assertThat(first.header("esdb-record-schema-subject")).isEqualTo("OrderPlaced");
        assertThat(first.header("esdb-record-schema-type")).isEqualTo("json");
        assertThat(first.header("esdb-record-id")).isNotBlank();
        assertThat(first.header("esdb-record-log-position")).matches("\\d+");
        assertThat(first.header("esdb-record-headers-tenant")).isEqualTo("acme");
        assertThat(first.header("esdb-record-headers-$correlationId"))
                .as("system metadata left out")
                .isNull();
        assertThat(first.header("X-Env")).isEqualTo("test");
        assertThat(first.header("X-Team")).isEqualTo("orders");
        assertThat(first.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"));
        // the password is on the request only: not in any endpoint URI Camel knows
        for (Endpoint endpoint : context.getEndpoints()) {
            assertThat(endpoint.getEndpointUri()).doesNotContain("s3cret-pass");
        }
    }

    @Test
    void bearerTokenWithAnotherMethod() throws Exception {
        String prefix = newPrefix("bearer");
        SERVER.append(prefix + "a", numbered("OrderPlaced", 0, 2));
        HttpTestReceiver receiver = receiver();
        connector(
                context(),
                "http-bearer",
                prefix,
                Map.of("url", receiver.url("/in"), "method", "PUT", "authMethod", "bearer", "token", "tok-123"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
        assertThat(receiver.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.path()).isEqualTo("/in");
            assertThat(r.header("Authorization")).isEqualTo("Bearer tok-123");
        });
    }

    @Test
    void serverErrorsAndTimeoutsAreRetriedInOrderWhileThePositionWaits() throws Exception {
        String prefix = newPrefix("retry");
        SERVER.append(prefix + "a", numbered("OrderPlaced", 0, 10));
        HttpTestReceiver receiver = receiver();
        AtomicBoolean refuse = new AtomicBoolean(true);
        CountDownLatch timedOut = new CountDownLatch(1);
        AtomicInteger heldRequest = new AtomicInteger();
        // event 3 is refused with 503 until the test lets it through; event 6's first request gets no answer in
        // time (the receiver holds it until the retry arrives)
        receiver.answerWith(n -> {
            HttpTestReceiver.Request r = receiver.requests().get(n - 1);
            int event = Integer.parseInt(r.bodyText().replaceAll("\\D", ""));
            // event 6's first request is answered after the connector gave up on it: 503 keeps the count exact
            return (event == 3 && refuse.get()) || n == heldRequest.get() ? 503 : 200;
        });
        AtomicInteger event6Requests = new AtomicInteger();
        receiver.holdWith(n -> {
            HttpTestReceiver.Request r = receiver.requests().get(n - 1);
            if (r.bodyText().equals("{\"n\":6}") && event6Requests.incrementAndGet() == 1) {
                heldRequest.set(n);
                timedOut.await(20, TimeUnit.SECONDS);
            } else if (r.bodyText().equals("{\"n\":6}")) {
                timedOut.countDown();
            }
        });
        CamelContext context = context();
        connector(context, "http-retry", prefix, Map.of("url", receiver.url("/in"), "responseTimeout", "500"));

        await().atMost(WAIT).until(() -> receiver.requests().size() >= 6);
        // three refusals of event 3: nothing after it was sent, and the position is still before it
        assertThat(numbers(receiver.requests())).containsExactly(0, 1, 2, 3, 3, 3);
        long commitOf2 = Long.parseLong(receiver.accepted().get(2).header("esdb-record-log-position"));
        assertThat(consumer(context, "http-retry").getProcessedPosition().commit())
                .isEqualTo(commitOf2);
        refuse.set(false);

        await().atMost(WAIT).until(() -> receiver.accepted().size() >= 10);
        assertThat(numbers(receiver.accepted())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(event6Requests).hasValue(2);
        long commitOf9 = Long.parseLong(receiver.accepted().get(9).header("esdb-record-log-position"));
        await().atMost(WAIT)
                .until(() ->
                        consumer(context, "http-retry").getProcessedPosition().commit() == commitOf9);
    }

    @Test
    void batchesAreJsonArraysAndThePositionMovesOnlyOverAcknowledgedBatches() throws Exception {
        String prefix = newPrefix("batch");
        long before = SERVER.lastPosition();
        SERVER.append(prefix + "a", numbered("OrderPlaced", 0, 45));
        HttpTestReceiver receiver = receiver();
        CountDownLatch releaseFirst = new CountDownLatch(1);
        receiver.holdWith(n -> {
            if (n == 1) {
                releaseFirst.await(20, TimeUnit.SECONDS);
            }
        });
        // the second request (the second batch) fails once
        receiver.answerWith(n -> n == 2 ? 500 : 200);
        CamelContext context = context();
        connector(
                context,
                "http-batch",
                prefix,
                Map.of(
                        "url", receiver.url("/batch"),
                        "batchSize", "10",
                        "maxInFlight", "20",
                        "batchTimeout", "200"));

        // the first batch is held unanswered: the position has not moved, though its events were sent
        await().atMost(WAIT).until(() -> receiver.requests().size() == 1);
        assertThat(numbers(receiver.requests())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(consumer(context, "http-batch").getProcessedPosition())
                .satisfiesAnyOf(p -> assertThat(p).isEqualTo(SubscriptionPosition.START), p -> assertThat(p.commit())
                        .isLessThanOrEqualTo(before));
        releaseFirst.countDown();

        await().atMost(WAIT).until(() -> numbers(receiver.accepted()).size() == 45);
        assertThat(numbers(receiver.accepted()))
                .containsExactlyElementsOf(IntStream.range(0, 45).boxed().toList());
        assertThat(numbers(List.of(receiver.requests().get(1))))
                .containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
        for (HttpTestReceiver.Request r : receiver.accepted()) {
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.isArray()).isTrue();
            assertThat(body.size()).isBetween(1, 10);
            assertThat(r.header("esdb-batch-size")).isEqualTo(String.valueOf(body.size()));
            assertThat(r.header("esdb-connector-id")).isEqualTo("http-batch");
            assertThat(r.header("Content-Type")).startsWith("application/json");
        }
        long lastCommit = SERVER.lastPosition();
        await().atMost(WAIT)
                .until(() ->
                        consumer(context, "http-batch").getProcessedPosition().commit() >= lastCommit);
    }

    @Test
    void severalRequestsInFlightKeepEachStreamInOrder() throws Exception {
        String prefix = newPrefix("in-flight");
        int streams = 4;
        int perStream = 25;
        for (int n = 0; n < streams * perStream; n++) {
            SERVER.append(prefix + (n % streams), numbered("OrderPlaced", n, 1));
        }
        HttpTestReceiver receiver = receiver();
        // a little service time, so that requests overlap
        receiver.holdWith(n -> Thread.sleep(5));
        connector(context(), "http-in-flight", prefix, Map.of("url", receiver.url("/in"), "maxInFlight", "8"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == streams * perStream);
        for (int s = 0; s < streams; s++) {
            String stream = prefix + s;
            List<Integer> expected = new ArrayList<>();
            for (int n = s; n < streams * perStream; n += streams) {
                expected.add(n);
            }
            List<HttpTestReceiver.Request> ofStream = receiver.accepted().stream()
                    .filter(r -> stream.equals(r.header("esdb-record-stream-id")))
                    .toList();
            assertThat(numbers(ofStream)).as(stream).containsExactlyElementsOf(expected);
        }
        assertThat(receiver.concurrentSameStream()).isEmpty();
        assertThat(receiver.maxConcurrent()).as("requests overlapped").isBetween(2, 8);
    }

    @Test
    void httpsWithATrustStoreDeliversAndWithoutItNothingIsSkipped(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("trust.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=IP:127.0.0.1,DNS:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");
        keytool(
                "-exportcert",
                "-alias",
                "server",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "changeit",
                "-file",
                dir.resolve("server.cer").toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "server",
                "-file",
                dir.resolve("server.cer").toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                "trustpass");
        HttpTestReceiver receiver = HttpTestReceiver.https(sslContext(keyStore));
        closeables.add(receiver);

        String prefix = newPrefix("tls");
        SERVER.append(prefix + "a", numbered("OrderPlaced", 0, 3));
        CamelContext context = context();
        connector(context, "http-untrusted", prefix, Map.of("url", receiver.url("/in"), "retryMaxAttempts", "2"));
        connector(
                context,
                "http-tls",
                prefix,
                Map.of(
                        "url", receiver.url("/in"),
                        "sslTruststoreLocation", trustStore.toString(),
                        "sslTruststorePassword", "trustpass"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 3);
        assertThat(numbers(receiver.accepted())).containsExactly(0, 1, 2);
        assertThat(receiver.accepted())
                .allSatisfy(r -> assertThat(r.header("esdb-connector-id")).isEqualTo("http-tls"));
        // the connector that does not trust the certificate stops after its attempts, its first event undelivered
        await().atMost(WAIT).until(() -> context.getRouteController()
                .getRouteStatus("http-untrusted")
                .isStopped());
        long firstCommit = Long.parseLong(receiver.accepted().get(0).header("esdb-record-log-position"));
        SubscriptionPosition untrusted = consumer(context, "http-untrusted").getProcessedPosition();
        assertThat(untrusted == null || untrusted.isStart() || untrusted.commit() < firstCommit)
                .as("position " + untrusted + " before the first event at " + firstCommit)
                .isTrue();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static SSLContext sslContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keyStore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keys.getKeyManagers(), null, null);
        return ssl;
    }

    @Test
    void invalidSettingsAreNamed() throws Exception {
        CamelContext context = context();
        assertThat(failure(context, Map.of("url", "ftp://example.org/x")))
                .contains("Invalid connector setting 'url': it must be an http:// or https:// URL");
        assertThat(failure(context, Map.of("url", "http://user:pw@example.org/x")))
                .contains("Invalid connector setting 'url': it must not hold credentials")
                .doesNotContain("pw@");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "authMethod", "basic", "username", "u")))
                .contains("Invalid connector setting 'password': it is required");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "authMethod", "digest")))
                .contains("Invalid connector setting 'authMethod': it must be one of none, basic, bearer");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "method", "GET")))
                .contains("Invalid connector setting 'method'");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "successStatusCodes", "2xx")))
                .contains("Invalid connector setting 'successStatusCodes'");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "batchSize", "50", "maxInFlight", "10")))
                .contains("Invalid connector setting 'maxInFlight': it must be at least batchSize (50)");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "sslTruststoreLocation", "/tmp/x.p12")))
                .contains("Invalid connector setting 'sslTruststoreLocation': it applies to https:// URLs only");
    }

    private static String failure(CamelContext context, Map<String, Object> settings) {
        String id = "invalid-" + STREAMS.incrementAndGet();
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> connector(context, id, "none-", settings)).satisfies(t -> thrown[0] = t);
        return ConnectorReport.rootMessage(thrown[0]);
    }
}
