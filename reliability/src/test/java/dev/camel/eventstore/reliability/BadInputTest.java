package dev.camel.eventstore.reliability;

import static dev.camel.eventstore.reliability.BadInputEvents.LARGE;
import static dev.camel.eventstore.reliability.BadInputEvents.ODD_NAMES;
import static dev.camel.eventstore.reliability.BadInputEvents.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.reliability.BadInputEvents.Input;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7: bad and unusual input through the connectors application to real sinks (an HTTP receiver, Kafka):
 * data that is not JSON under a JSON filter or transform, an event near the client's 16 MiB message limit, binary,
 * non-ASCII and empty data, and stream names with characters that mean something in URLs. Each event is delivered
 * faithfully or sent down the error path with a clear reason, and every connector either moves on or, where no
 * attempt can succeed and nowhere to dead-letter is configured, stops at once saying why: never a retry loop, never
 * a silent skip.
 */
class BadInputTest {
    static {
        // the JDK's HttpServer answers in two writes; without TCP_NODELAY each request waits ~40 ms for a delayed
        // ACK (read when the HttpServer classes load: effective unless another test class started one first)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEAD_LETTER = "dev.camel.eventstore.connectors.InvalidRecordException";

    @TempDir
    Path work;

    @Test
    void badAndUnusualInputIsDeliveredFaithfullyOrSentDownTheErrorPathWithItsReason() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .maxAppendSize(16 * 1024 * 1024)
                        .build()
                        .start();
                KafkaTestBroker kafka = KafkaTestBroker.builder()
                        .logDir(work.resolve("kafka"))
                        .build()
                        .start();
                HttpTestReceiver sink = HttpTestReceiver.http();
                HttpTestReceiver dead = HttpTestReceiver.http()) {
            for (String topic : List.of("raw", "transformed", "large-default")) {
                kafka.createTopic(topic, 1);
            }
            List<Input> orders = BadInputEvents.appendOrders(server);
            long lastOrder = server.lastPosition();
            List<Input> inputs = BadInputEvents.appendInputs(server);
            long lastInput = server.lastPosition();
            byte[] large = inputs.stream()
                    .filter(i -> i.data().length == LARGE)
                    .findFirst()
                    .orElseThrow()
                    .data();
            int port = Management.freePort();
            HealthEndpoint health = new HealthEndpoint(port);
            long started = System.nanoTime();
            try (ConnectorApp app =
                            ConnectorApp.start(work.resolve("app"), properties(server, kafka, sink, dead, port));
                    KafkaRecords<KafkaRecords.Stored> raw = KafkaRecords.stored(kafka.bootstrapServers(), "raw");
                    KafkaRecords<KafkaRecords.Stored> transformed =
                            KafkaRecords.stored(kafka.bootstrapServers(), "transformed");
                    KafkaRecords<KafkaRecords.Stored> largeDefault =
                            KafkaRecords.stored(kafka.bootstrapServers(), "large-default")) {
                // every connector got past everything it reads, except the one that must stop
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    for (String id : List.of("raw-http", "raw-kafka")) {
                        assertProcessedAtLeast(health.check(id), lastInput);
                    }
                    for (String id : List.of("json-filter", "json-transform", "simple-transform")) {
                        assertProcessedAtLeast(health.check(id), lastOrder);
                    }
                    assertThat(health.check("large-default").state()).isEqualTo("FAILED");
                });
                long settledMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                // and stay there: nothing is delivered again, nothing more is logged
                int requests = sink.requests().size();
                int deadLetters = dead.requests().size();
                long records = raw.size() + transformed.size() + largeDefault.size();
                int lines = app.stdout().size();
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> sink.requests().size() == requests
                                && dead.requests().size() == deadLetters
                                && raw.size() + transformed.size() + largeDefault.size() == records
                                && app.stdout().size() == lines);
                assertThat(app.isAlive()).isTrue();

                // ---- raw data and odd stream names: HTTP ----
                List<HttpTestReceiver.Request> http = requests(sink, "/in/");
                assertThat(http).hasSize(inputs.size());
                int lossyHeaders = 0;
                for (int i = 0; i < inputs.size(); i++) {
                    Input input = inputs.get(i);
                    HttpTestReceiver.Request request = http.get(i);
                    String segment = request.path().substring("/in/".length());
                    assertThat(segment).as("path segment of " + input.stream()).doesNotContain("/", "?", "#", " ");
                    assertThat(decode(segment)).isEqualTo(input.stream());
                    assertThat(request.body()).as("body of " + input.stream()).isEqualTo(input.data());
                    assertThat(request.header("Content-Type"))
                            .startsWith(input.json() ? "application/json" : "application/octet-stream");
                    assertThat(request.header("esdb-record-stream-revision"))
                            .isEqualTo(String.valueOf(input.revision()));
                    // documented: header values are ISO-8859-1, other characters become '?'
                    assertThat(request.header("esdb-record-stream-id")).isEqualTo(asHeader(input.stream()));
                    if (!asHeader(input.stream()).equals(input.stream())) {
                        lossyHeaders++;
                    }
                }
                assertThat(requests(dead, "/dead/raw-http")).isEmpty();

                // ---- raw data and odd stream names: Kafka, keys exact; the 15 MiB event dead-lettered at once ----
                List<Input> small =
                        inputs.stream().filter(i -> i.data().length != LARGE).toList();
                List<KafkaRecords.Stored> kafkaRecords = raw.readAll();
                assertThat(kafkaRecords).hasSize(small.size());
                for (int i = 0; i < small.size(); i++) {
                    Input input = small.get(i);
                    KafkaRecords.Stored record = kafkaRecords.get(i);
                    assertThat(record.key()).as("key of " + input.stream()).isEqualTo(utf8(input.stream()));
                    assertThat(record.stream()).isEqualTo(input.stream());
                    assertThat(record.revision()).isEqualTo(input.revision());
                    assertThat(record.value()).as("value of " + input.stream()).isEqualTo(input.data());
                }
                List<HttpTestReceiver.Request> tooLarge = requests(dead, "/dead/raw-kafka");
                assertThat(tooLarge).hasSize(1);
                HttpTestReceiver.Request deadLarge = tooLarge.get(0);
                assertThat(deadLarge.body()).isEqualTo(large);
                assertThat(deadLarge.header("esdb-record-stream-id")).isEqualTo("input-large");
                assertThat(deadLarge.header("esdb-record-stream-revision")).isEqualTo("0");
                assertThat(deadLarge.header("esdb-error-type")).isEqualTo(DEAD_LETTER);
                assertThat(deadLarge.header("esdb-error"))
                        .startsWith("Kafka does not accept a record of this size: The message is ")
                        .contains("max.request.size");
                assertThat(app.stdout())
                        .as("dead-lettered at the first attempt: retrying cannot make it smaller")
                        .anyMatch(l -> l.contains("Connector raw-kafka: event 0 of input-large sent to")
                                && l.contains("after 1 attempt(s)"));

                // ---- the same event without a dead-letter endpoint: the connector stops at once, saying why ----
                HealthEndpoint.Check stopped = health.check("large-default");
                assertThat(stopped.up()).isFalse();
                assertThat(stopped.message())
                        .contains("Kafka does not accept a record of this size")
                        .contains("max.request.size")
                        .contains("retrying cannot fix it");
                assertThat(largeDefault.size()).isZero();
                List<String> errors =
                        app.stdout().stream().filter(l -> l.contains(" ERROR ")).toList();
                assertThat(errors).hasSize(1);
                assertThat(errors.get(0)).contains("Stopping route large-default");

                // ---- data that is not JSON under a JSON filter and transforms ----
                List<Input> notJson = List.of(orders.get(1), orders.get(2), orders.get(4));
                assertBodies(requests(sink, "/filtered/"), orders.get(0), orders.get(5));
                assertDeadLetters(
                        dead, "json-filter", notJson, "filterJsonPath cannot be evaluated on the event's data");
                List<KafkaRecords.Stored> customers = transformed.readAll();
                assertThat(customers).extracting(KafkaRecords.Stored::revision).containsExactly(0L, 3L, 5L);
                for (KafkaRecords.Stored customer : customers) {
                    Input order = orders.get((int) customer.revision());
                    assertThat(JSON.readTree(customer.value()))
                            .isEqualTo(JSON.readTree(order.data()).get("customer"));
                }
                assertDeadLetters(dead, "json-transform", notJson, "the jsonpath transform failed on the event's data");
                assertThat(requests(sink, "/simple/"))
                        .extracting(HttpTestReceiver.Request::bodyText)
                        .containsExactly("Zoë 東京 😀 ordered 500", "Ann ordered 1", "Bob ordered 700");
                assertDeadLetters(dead, "simple-transform", notJson, "the simple transform failed on the event's data");
                for (String id :
                        List.of("raw-http", "raw-kafka", "json-filter", "json-transform", "simple-transform")) {
                    HealthEndpoint.Check check = health.check(id);
                    assertThat(check.up()).as(id + ": " + check).isTrue();
                }
                // one line per dead letter, none per retry
                List<String> warnings =
                        app.stdout().stream().filter(l -> l.contains(" WARN ")).toList();
                assertThat(warnings)
                        .as(String.join("\n", warnings))
                        .hasSize(dead.requests().size());

                Results.record(
                        "bad-input",
                        "%d unusual events (all 256 byte values, UTF-8 with emoji, 2 empty, %d stream names with"
                                + " space / %% ? # {} + & = and non-ASCII, one of %,d bytes) to HTTP and Kafka: HTTP"
                                + " %d/%d byte-for-byte, {stream} path exact for all names (esdb-record-stream-id"
                                + " header ISO-8859-1: %d name(s) with '?'); Kafka %d/%d byte-for-byte with exact"
                                + " keys, the %,d-byte event dead-lettered at the first attempt (max.request.size 1"
                                + " MiB) intact; without a dead-letter endpoint that connector stopped at once"
                                + " (health DOWN, %d ERROR line, 0 records); %d of %d order events not JSON (XML,"
                                + " truncated, empty) dead-lettered at once by filterJsonPath, jsonpath and simple"
                                + " transforms with reason and esdb-record-* headers, the rest delivered (filter %d,"
                                + " transforms %d + %d); %d dead letters, %d WARN lines, no retry loop; all settled"
                                + " %d ms after start",
                        inputs.size(),
                        ODD_NAMES.size(),
                        LARGE,
                        http.size(),
                        inputs.size(),
                        lossyHeaders,
                        kafkaRecords.size(),
                        inputs.size(),
                        LARGE,
                        errors.size(),
                        notJson.size(),
                        orders.size(),
                        requests(sink, "/filtered/").size(),
                        customers.size(),
                        requests(sink, "/simple/").size(),
                        dead.requests().size(),
                        warnings.size(),
                        settledMillis);
            }
        }
    }

    private static void assertProcessedAtLeast(HealthEndpoint.Check check, long position) {
        assertThat(check.up()).as(check.toString()).isTrue();
        assertThat(check.processed()).as(check.toString()).contains("/");
        assertThat(Long.parseLong(
                        check.processed().substring(0, check.processed().indexOf('/'))))
                .as(check.toString())
                .isGreaterThanOrEqualTo(position);
    }

    private static void assertBodies(List<HttpTestReceiver.Request> requests, Input... expected) {
        assertThat(requests).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(requests.get(i).body()).isEqualTo(expected[i].data());
        }
    }

    /** Each event went to the connector's dead-letter endpoint once, intact, with its reason and its headers. */
    private static void assertDeadLetters(
            HttpTestReceiver dead, String connector, List<Input> expected, String reason) {
        List<HttpTestReceiver.Request> letters = new ArrayList<>(requests(dead, "/dead/" + connector));
        letters.sort(Comparator.comparing(r -> Long.parseLong(r.header("esdb-record-stream-revision"))));
        assertThat(letters).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            HttpTestReceiver.Request letter = letters.get(i);
            Input input = expected.get(i);
            assertThat(letter.body()).isEqualTo(input.data());
            assertThat(letter.header("esdb-error")).startsWith(reason + ": ");
            assertThat(letter.header("esdb-error-type")).isEqualTo(DEAD_LETTER);
            assertThat(letter.header("esdb-connector-id")).isEqualTo(connector);
            assertThat(letter.header("esdb-record-stream-id")).isEqualTo(input.stream());
            assertThat(letter.header("esdb-record-stream-revision")).isEqualTo(String.valueOf(input.revision()));
        }
    }

    private static List<HttpTestReceiver.Request> requests(HttpTestReceiver receiver, String pathPrefix) {
        return receiver.requests().stream()
                .filter(r -> r.path().startsWith(pathPrefix))
                .toList();
    }

    private static String properties(
            EventStoreTestServer server,
            KafkaTestBroker kafka,
            HttpTestReceiver sink,
            HttpTestReceiver dead,
            int port) {
        String esdb = server.connectionString();
        String kafkaServers = "bootstrapServers=" + kafka.bootstrapServers();
        return new AppProperties(port)
                .connector(
                        "raw-http",
                        "eventstore-http-sink",
                        esdb,
                        deadLettering(dead, "raw-http", "url=" + sink.url("/in/{stream}")))
                .connector(
                        "raw-kafka",
                        "eventstore-kafka-sink",
                        esdb,
                        deadLettering(dead, "raw-kafka", kafkaServers, "topic=raw", "keyExtraction=stream"))
                .connector(
                        "json-filter",
                        "eventstore-http-sink",
                        esdb,
                        deadLettering(
                                dead,
                                "json-filter",
                                "streamNamePrefixes=json-",
                                "url=" + sink.url("/filtered/{stream}"),
                                "filterJsonPath=$[?(@.amount > 100)]"))
                .connector(
                        "json-transform",
                        "eventstore-kafka-sink",
                        esdb,
                        deadLettering(
                                dead,
                                "json-transform",
                                "streamNamePrefixes=json-",
                                kafkaServers,
                                "topic=transformed",
                                "transformLanguage=jsonpath",
                                "transformExpression=$.customer"))
                .connector(
                        "simple-transform",
                        "eventstore-http-sink",
                        esdb,
                        deadLettering(
                                dead,
                                "simple-transform",
                                "streamNamePrefixes=json-",
                                "url=" + sink.url("/simple/{stream}"),
                                "transformExpression=${jsonpath($.customer.name)} ordered ${jsonpath($.amount)}"))
                // the defaults: no dead-letter endpoint, retryMaxAttempts 0 (a failing delivery is retried forever)
                .connector(
                        "large-default",
                        "eventstore-kafka-sink",
                        esdb,
                        "stream=input-large",
                        kafkaServers,
                        "topic=large-default")
                .toString();
    }

    /**
     * The settings of a connector that dead-letters to {@code dead} after 3 attempts, then {@code settings}; it reads
     * the input- streams unless they say otherwise.
     */
    private static String[] deadLettering(HttpTestReceiver dead, String id, String... settings) {
        List<String> all = new ArrayList<>(
                List.of("retryMaxAttempts=3", "retryInitialDelay=200", "deadLetterUri=" + dead.url("/dead/" + id)));
        if (Stream.of(settings).noneMatch(s -> s.startsWith("streamNamePrefixes="))) {
            all.add("streamNamePrefixes=input-");
        }
        all.addAll(List.of(settings));
        return all.toArray(String[]::new);
    }

    /** A path segment decoded; a literal '+' is a plus, as the sink encodes a space as %20. */
    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * A header value as HttpClient 5 writes it and the JDK's HttpServer reads it: ISO-8859-1, with '?' for each
     * character it cannot write (beyond Latin-1, and controls).
     */
    private static String asHeader(String value) {
        StringBuilder header = new StringBuilder();
        for (char c : value.toCharArray()) {
            boolean writable = (c >= 0x20 || c == '\t') && (c < 0x7f || c > 0xa0) && c <= 0xff;
            header.append(writable ? c : '?');
        }
        return header.toString();
    }
}
