package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
    /** Under the client's 16 MiB gRPC message limit with room for the rest of the message. */
    private static final int LARGE = 15 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEAD_LETTER = "dev.camel.eventstore.connectors.InvalidRecordException";

    /** Stream names a URL, a path segment or a Kafka key could get wrong. */
    private static final List<String> ODD_NAMES = List.of(
            "input-a b",
            "input-ünïcødé 東京 😀",
            "input-a/b/c",
            "input-100%",
            "input-what?",
            "input-#hash",
            "input-{braces}",
            "input-mix a/b%c?d#e{f}+g&h=i");

    /** One event as appended: its stream, revision, whether its content type is JSON, its data. */
    record Input(String stream, long revision, boolean json, byte[] data) {}

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
            List<Input> orders = appendOrders(server);
            long lastOrder = server.lastPosition();
            List<Input> inputs = appendInputs(server);
            long lastInput = server.lastPosition();
            byte[] large = inputs.stream()
                    .filter(i -> i.data().length == LARGE)
                    .findFirst()
                    .orElseThrow()
                    .data();
            int port = HealthEndpoint.freePort();
            HealthEndpoint health = new HealthEndpoint(port);
            long started = System.nanoTime();
            try (ConnectorApp app =
                            ConnectorApp.start(work.resolve("app"), properties(server, kafka, sink, dead, port));
                    KafkaRecords raw = new KafkaRecords(kafka.bootstrapServers(), "raw");
                    KafkaRecords transformed = new KafkaRecords(kafka.bootstrapServers(), "transformed");
                    KafkaRecords largeDefault = new KafkaRecords(kafka.bootstrapServers(), "large-default")) {
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

    /** Order events: three are not JSON (XML, truncated JSON, empty data), one does not match the filter. */
    private static List<Input> appendOrders(EventStoreTestServer server) {
        String[] data = {
            "{\"n\":0,\"amount\":500,\"customer\":{\"name\":\"Zoë 東京 😀\"}}",
            "<order n='1'/>",
            "{\"n\":2,\"amount\":",
            "{\"n\":3,\"amount\":1,\"customer\":{\"name\":\"Ann\"}}",
            "",
            "{\"n\":5,\"amount\":700,\"customer\":{\"name\":\"Bob\"}}",
        };
        List<Input> orders = new ArrayList<>();
        List<EventData> events = new ArrayList<>();
        for (int n = 0; n < data.length; n++) {
            boolean json = n != 1;
            byte[] bytes = utf8(data[n]);
            orders.add(new Input("json-orders", n, json, bytes));
            events.add(
                    json
                            ? EventDataBuilder.json("Order", bytes).build()
                            : EventDataBuilder.binary("Order", bytes).build());
        }
        server.append("json-orders", events);
        return orders;
    }

    /**
     * Raw data and odd stream names, in log order; the 15 MiB event goes through a real client (the testkit server
     * counts its size as EventStoreDB does), followed by a small event in the same stream.
     */
    private static List<Input> appendInputs(EventStoreTestServer server) throws Exception {
        List<Input> inputs = new ArrayList<>();
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        append(server, inputs, new Input("input-binary", 0, false, everyByte));
        append(server, inputs, new Input("input-utf8", 0, true, utf8("{\"text\":\"Grüße, Zoë — 東京 😀👍🏽\"}")));
        append(server, inputs, new Input("input-empty", 0, true, new byte[0]));
        append(server, inputs, new Input("input-empty", 1, false, new byte[0]));
        for (String name : ODD_NAMES) {
            append(
                    server,
                    inputs,
                    new Input(name, 0, true, utf8("{\"stream\":" + JSON.writeValueAsString(name) + "}")));
        }
        byte[] large = new byte[LARGE];
        new Random(7).nextBytes(large);
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        try {
            client.appendToStream(
                            "input-large",
                            EventDataBuilder.binary("Large", large).build())
                    .get(60, TimeUnit.SECONDS);
        } finally {
            client.shutdown().get(10, TimeUnit.SECONDS);
        }
        inputs.add(new Input("input-large", 0, false, large));
        append(server, inputs, new Input("input-large", 1, true, utf8("{\"after\":\"large\"}")));
        append(server, inputs, new Input("input-zz-last", 0, true, utf8("{\"last\":true}")));
        return inputs;
    }

    private static void append(EventStoreTestServer server, List<Input> inputs, Input input) {
        EventData event = input.json()
                ? EventDataBuilder.json("Input", input.data()).build()
                : EventDataBuilder.binary("Input", input.data()).build();
        server.append(input.stream(), List.of(event));
        inputs.add(input);
    }

    private static String properties(
            EventStoreTestServer server,
            KafkaTestBroker kafka,
            HttpTestReceiver sink,
            HttpTestReceiver dead,
            int port) {
        List<String> lines = new ArrayList<>();
        lines.add("camel.management.port=" + port);
        String kafkaServers = "bootstrapServers=" + kafka.bootstrapServers();
        connector(lines, "raw-http", "eventstore-http-sink", server, dead, "url=" + sink.url("/in/{stream}"));
        connector(
                lines,
                "raw-kafka",
                "eventstore-kafka-sink",
                server,
                dead,
                kafkaServers,
                "topic=raw",
                "keyExtraction=stream");
        connector(
                lines,
                "json-filter",
                "eventstore-http-sink",
                server,
                dead,
                "streamNamePrefixes=json-",
                "url=" + sink.url("/filtered/{stream}"),
                "filterJsonPath=$[?(@.amount > 100)]");
        connector(
                lines,
                "json-transform",
                "eventstore-kafka-sink",
                server,
                dead,
                "streamNamePrefixes=json-",
                kafkaServers,
                "topic=transformed",
                "transformLanguage=jsonpath",
                "transformExpression=$.customer");
        connector(
                lines,
                "simple-transform",
                "eventstore-http-sink",
                server,
                dead,
                "streamNamePrefixes=json-",
                "url=" + sink.url("/simple/{stream}"),
                "transformExpression=${jsonpath($.customer.name)} ordered ${jsonpath($.amount)}");
        // the defaults: no dead-letter endpoint, retryMaxAttempts 0 (a failing delivery is retried forever)
        String p = "camel.routeTemplate[large-default].";
        lines.add(p + "templateId=eventstore-kafka-sink");
        lines.add(p + "connectionString=" + server.connectionString());
        lines.add(p + "stream=input-large");
        lines.add(p + "initialPosition=earliest");
        lines.add(p + kafkaServers);
        lines.add(p + "topic=large-default");
        return String.join("\n", lines) + "\n";
    }

    /** A connector reading from the start, dead-lettering to {@code dead} after 3 attempts; input- streams unless set. */
    private static void connector(
            List<String> lines,
            String id,
            String template,
            EventStoreTestServer server,
            HttpTestReceiver dead,
            String... settings) {
        String p = "camel.routeTemplate[" + id + "].";
        lines.add(p + "templateId=" + template);
        lines.add(p + "connectionString=" + server.connectionString());
        lines.add(p + "initialPosition=earliest");
        lines.add(p + "retryMaxAttempts=3");
        lines.add(p + "retryInitialDelay=200");
        lines.add(p + "deadLetterUri=" + dead.url("/dead/" + id));
        if (List.of(settings).stream().noneMatch(s -> s.startsWith("streamNamePrefixes="))) {
            lines.add(p + "streamNamePrefixes=input-");
        }
        for (String setting : settings) {
            lines.add(p + setting);
        }
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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
