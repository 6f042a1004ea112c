package dev.camel.eventstore.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadAllOptions;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.JavaProcess;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo as a newcomer runs it: its own JVM, stopped with a signal (Ctrl-C's SIGINT or SIGTERM), run again. */
class DemoTest {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    static final Pattern HTTP_REQUESTS = Pattern.compile("^received: HTTP receiver ([\\d,]+) requests");
    static final Pattern KAFKA_RECORDS = Pattern.compile("^received:.* Kafka topic demo-orders ([\\d,]+) records");
    private static final Pattern WROTE = Pattern.compile("The order system wrote ([\\d,]+) events in this run\\.");

    @TempDir
    Path work;

    @Test
    void eventsReachTheLogHttpAndKafkaAndASecondRunResumesWithNothingLostOrRepeated() throws Exception {
        Path data = work.resolve("data");
        long written;
        try (JavaProcess demo = demo(work.resolve("run-1"), "--data-dir", data.toString(), "--rate", "50")) {
            demo.awaitLine(line -> line.contains("[d.failed-payments] Exchange["), STARTUP);
            demo.awaitLine(line -> received(HTTP_REQUESTS, line) >= 50 && received(KAFKA_RECORDS, line) >= 50, STARTUP);
            demo.terminate(Duration.ofSeconds(60));
            String wroteLine = demo.awaitLine(line -> WROTE.matcher(line).find(), Duration.ofSeconds(5));
            written = number(WROTE, wroteLine, 1);
            demo.awaitLine(line -> line.startsWith("Demo stopped."), Duration.ofSeconds(5));
            assertThat(demo.stdout()).noneMatch(line -> line.contains("ERROR"));
        }
        assertThat(written).isGreaterThanOrEqualTo(50);

        try (JavaProcess demo = demo(work.resolve("run-2"), "--data-dir", data.toString(), "--rate", "0")) {
            for (String connector : List.of("failed-payments-log", "orders-http", "orders-kafka")) {
                demo.awaitLine(
                        line -> line.contains("(route " + connector + ") resumes after its stored position"), STARTUP);
            }
            // every order event is in Kafka exactly once: run 1 stored its checkpoints when it stopped, so run 2
            // sends only what run 1 had not
            demo.awaitLine(line -> received(KAFKA_RECORDS, line) >= written, STARTUP);
            String live = demo.awaitLine(line -> line.startsWith("orders-kafka") && line.endsWith(" 0  live"), STARTUP);
            assertThat(live).isNotNull();
            List<String> stdout = demo.stdout();
            long kafkaRecords = stdout.stream()
                    .mapToLong(line -> received(KAFKA_RECORDS, line))
                    .max()
                    .orElseThrow();
            assertThat(kafkaRecords).isEqualTo(written);
            demo.terminate(Duration.ofSeconds(60));
        }
    }

    @Test
    void givenTheirAddressesTheDemoUsesExistingServices() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                KafkaTestBroker kafka = KafkaTestBroker.builder().build().start();
                DemoHttpReceiver http = DemoHttpReceiver.start()) {
            kafka.createTopic("demo-orders", 1);
            try (JavaProcess demo = demo(
                    work.resolve("given"),
                    "--esdb",
                    server.connectionString(),
                    "--kafka",
                    kafka.bootstrapServers(),
                    "--http",
                    http.url(),
                    "--data-dir",
                    work.resolve("unused").toString())) {
                demo.awaitLine(line -> received(KAFKA_RECORDS, line) >= 20, STARTUP);
                await().atMost(Duration.ofSeconds(30)).until(() -> http.requests() >= 20);
                assertThat(http.lastPath()).startsWith(DemoHttpReceiver.PATH + "order-");
                assertThat(demo.stdout())
                        .contains("  EventStoreDB  " + server.connectionString() + "  (given)")
                        .noneMatch(line -> line.contains("testkit server") || line.contains("in-process broker"))
                        .noneMatch(line -> line.contains("received: HTTP receiver"));
                demo.terminate(Duration.ofSeconds(60));
            }
            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            long orderEvents = client.readAll(ReadAllOptions.get().fromStart()).get().getEvents().stream()
                    .filter(e -> e.getOriginalEvent().getStreamId().startsWith("order-"))
                    .count();
            client.shutdown();
            assertThat(orderEvents).isGreaterThanOrEqualTo(20);
            assertThat(work.resolve("unused")).doesNotExist();
        }
    }

    private static JavaProcess demo(Path workDir, String... args) throws IOException {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--progress";
        all[args.length + 1] = "1";
        all[args.length + 2] = "--management-port";
        all[args.length + 3] = Integer.toString(freePort());
        return JavaProcess.start(workDir, List.of("-Xmx512m"), Demo.class, all);
    }

    /** A count from the "received:" progress line, or -1 for any other line. */
    static long received(Pattern count, String line) {
        Matcher matcher = count.matcher(line);
        return matcher.find() ? Long.parseLong(matcher.group(1).replace(",", "")) : -1;
    }

    private static long number(Pattern pattern, String line, int group) {
        Matcher matcher = pattern.matcher(line);
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(group).replace(",", ""));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
