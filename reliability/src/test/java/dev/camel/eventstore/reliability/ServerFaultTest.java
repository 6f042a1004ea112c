package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2: the EventStoreDB server restarted, and the subscription dropped with an error or ended without a word,
 * each once during a catch-up of many events and once while events are appended continuously. The connectors
 * application delivers to Kafka; within its one process nothing may be lost or repeated, and the log order must
 * hold. Measured per fault: the time from the fault to the first event the sink received after the stall it caused.
 */
class ServerFaultTest {
    private static final int CATCH_UP = Scale.of(30_000);
    private static final int STREAMS = 50;
    /** Events delivered live before each live fault, and after the last one. */
    private static final int LIVE_BETWEEN = Scale.of(500);

    private static final String CONNECTOR = "faults";
    /** The liveness check finds a subscription that ended without notice after two quiet intervals. */
    private static final int LIVENESS_MILLIS = 1000;

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path work;

    enum Fault {
        DROP("dropped with an error") {
            @Override
            void inject(EventStoreTestServer server) {
                server.dropSubscriptions();
            }
        },
        END_SILENTLY("ended silently") {
            @Override
            void inject(EventStoreTestServer server) {
                server.endSubscriptionsSilently();
            }
        },
        RESTART("server restart") {
            @Override
            void inject(EventStoreTestServer server) {
                server.restart();
            }
        };

        final String description;

        Fault(String description) {
            this.description = description;
        }

        abstract void inject(EventStoreTestServer server);
    }

    /** A fault as injected: when (epoch ms) and how many records the sink held then. */
    record Injected(Fault fault, String phase, long at, long deliveredBefore) {}

    @Test
    void serverRestartsAndDroppedOrSilentlyEndedSubscriptionsLoseNothingRepeatNothingAndKeepTheOrder()
            throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                KafkaTestBroker kafka = KafkaTestBroker.builder()
                        .logDir(work.resolve("kafka"))
                        .build()
                        .start()) {
            kafka.createTopic(CONNECTOR, 1);
            OrderStreams.append(server, STREAMS, CATCH_UP);
            int port = Management.freePort();
            HealthEndpoint health = new HealthEndpoint(port);
            List<Injected> faults = new ArrayList<>();
            LiveWriter writer = new LiveWriter(server, CATCH_UP);
            try (ConnectorApp app = ConnectorApp.start(work.resolve("app"), properties(server, kafka, port));
                    KafkaRecords<KafkaRecords.Stored> topic =
                            KafkaRecords.stored(kafka.bootstrapServers(), CONNECTOR)) {
                // during the catch-up: at a quarter, half and three quarters of it
                Fault[] kinds = Fault.values();
                for (int i = 0; i < kinds.length; i++) {
                    long threshold = (long) CATCH_UP * (i + 1) / (kinds.length + 1);
                    await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> topic.size() >= threshold);
                    // the buffer may still deliver while the consumer re-subscribes after the previous fault
                    await().atMost(WAIT)
                            .until(() -> health.check(CONNECTOR).state().equals("CATCHING_UP"));
                    faults.add(inject(server, kinds[i], "catch-up", topic));
                }
                await().atMost(WAIT).until(() -> topic.size() >= CATCH_UP);
                await().atMost(WAIT).until(() -> health.check(CONNECTOR).state().equals("LIVE"));

                // live, with events appended continuously
                writer.start();
                for (Fault fault : kinds) {
                    long before = topic.size();
                    await().atMost(WAIT).until(() -> topic.size() >= before + LIVE_BETWEEN);
                    await().atMost(WAIT)
                            .until(() -> health.check(CONNECTOR).state().equals("LIVE"));
                    faults.add(inject(server, fault, "live", topic));
                }
                long afterLast = topic.size();
                await().atMost(WAIT).until(() -> topic.size() >= afterLast + LIVE_BETWEEN);
                writer.stop();
                int written = CATCH_UP + writer.written();
                await().atMost(WAIT).until(() -> topic.size() >= written);
                // nothing more arrives: no late duplicate from an earlier subscription
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> topic.size() == written);
                HealthEndpoint.Check finalHealth = health.check(CONNECTOR);
                assertThat(finalHealth.up()).isTrue();
                assertThat(finalHealth.state()).isEqualTo("LIVE");

                List<KafkaRecords.Stored> records = topic.readAll();
                Map<String, Integer> perStream = new HashMap<>(writer.perStream());
                for (int s = 0; s < STREAMS; s++) {
                    perStream.merge(OrderStreams.name(s), CATCH_UP / STREAMS, Integer::sum);
                }
                LogOrder.assertExactlyOnceInLogOrder(
                        records.stream()
                                .map(r -> new LogOrder.Delivery(r.stream(), r.revision(), r.logPosition()))
                                .toList(),
                        perStream,
                        written);

                List<Long> recoveries = new ArrayList<>();
                for (int i = 0; i < faults.size(); i++) {
                    long until = i + 1 < faults.size() ? faults.get(i + 1).at() : Long.MAX_VALUE;
                    recoveries.add(recoveryMillis(records, faults.get(i), until));
                }
                List<String> measured = new ArrayList<>();
                for (int i = 0; i < faults.size(); i++) {
                    measured.add(faults.get(i).phase() + ", " + faults.get(i).fault().description + ": "
                            + recoveries.get(i) + " ms");
                }
                Results.record(
                        "server-faults",
                        "%,d events (%,d in the catch-up, %,d live) to Kafka through %d faults: %,d records, 0 lost,"
                                + " 0 duplicated, log order kept; fault to first new record: %s",
                        written,
                        CATCH_UP,
                        written - CATCH_UP,
                        faults.size(),
                        records.size(),
                        measured);
            } finally {
                writer.stop();
            }
        }
    }

    private static Injected inject(EventStoreTestServer server, Fault fault, String phase, KafkaRecords<?> topic) {
        long delivered = topic.size();
        long at = System.currentTimeMillis();
        fault.inject(server);
        return new Injected(fault, phase, at, delivered);
    }

    /**
     * The time from the fault to the first record after the longest pause in deliveries that followed it (before
     * the next fault): events already received keep arriving for a moment after a fault, then the sink waits for
     * the new subscription.
     */
    private static long recoveryMillis(List<KafkaRecords.Stored> records, Injected fault, long until) {
        long previous = fault.at();
        long longestGap = -1;
        long resumedAt = -1;
        for (KafkaRecords.Stored record : records) {
            long t = record.timestamp();
            if (t < fault.at() || t >= until) {
                continue;
            }
            if (t - previous > longestGap) {
                longestGap = t - previous;
                resumedAt = t;
            }
            previous = t;
        }
        assertThat(resumedAt).as("a record after " + fault).isPositive();
        return resumedAt - fault.at();
    }

    private static String properties(EventStoreTestServer server, KafkaTestBroker kafka, int port) {
        return new AppProperties(port)
                .line("camel.component.eventstore.livenessCheckInterval=" + LIVENESS_MILLIS)
                .kafkaConnector(CONNECTOR, server, kafka, CONNECTOR)
                .toString();
    }

    /** Appends one event every 2 ms, round-robin over the order streams, until stopped. */
    static final class LiveWriter {
        private final EventStoreTestServer server;
        private final int firstNumber;
        private final AtomicInteger written = new AtomicInteger();
        private final Map<String, Integer> perStream = new ConcurrentHashMap<>();
        private volatile boolean running;
        private Thread thread;

        LiveWriter(EventStoreTestServer server, int firstNumber) {
            this.server = server;
            this.firstNumber = firstNumber;
        }

        void start() {
            running = true;
            thread = new Thread(this::run, "live-writer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running) {
                int n = firstNumber + written.get();
                String stream = OrderStreams.name(n % STREAMS);
                String json = "{\"n\":" + n + ",\"live\":true}";
                server.append(
                        stream,
                        List.of(EventDataBuilder.json("OrderUpdated", json.getBytes(StandardCharsets.UTF_8))
                                .build()));
                perStream.merge(stream, 1, Integer::sum);
                written.incrementAndGet();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join(10_000);
            }
        }

        int written() {
            return written.get();
        }

        Map<String, Integer> perStream() {
            return Map.copyOf(perStream);
        }
    }
}
