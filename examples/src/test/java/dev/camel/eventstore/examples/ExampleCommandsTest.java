package dev.camel.eventstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.examples.eip.EipExample;
import dev.camel.eventstore.examples.embedded.EmbeddedExample;
import dev.camel.eventstore.examples.javadsl.JavaDslExample;
import dev.camel.eventstore.examples.yaml.YamlExample;
import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each example as its documented command runs it: its main class in a JVM of its own, with no EventStoreDB or Kafka
 * given, so that it starts them in-process and writes its sample events; then SIGTERM, as Ctrl-C. The four run at
 * the same time, which takes half as long as one after the other.
 */
class ExampleCommandsTest {
    private static final Duration START = Duration.ofSeconds(90);

    // set but empty: the examples take them as not set, whatever the environment running the tests has
    private static final Map<String, String> NO_SERVICES =
            Map.of("ESDB_CONNECTION_STRING", "", "KAFKA_BOOTSTRAP_SERVERS", "");

    @TempDir
    Path dir;

    @Test
    void eachExampleRunsWithNothingElseRunningAndStopsGracefullyOnSigterm() throws Exception {
        // each main, and a line of the output it exists for
        Map<Class<?>, String> examples = new LinkedHashMap<>();
        examples.put(JavaDslExample.class, "[orders-to-kafka] order-1001 OrderDelivered -> kafka:orders");
        examples.put(YamlExample.class, "[notifications] Order 1003: shipping notice sent, tracking number");
        examples.put(EipExample.class, "[dead-letter] OrderPlaced of order-1004 dead-lettered: Unexpected character");
        examples.put(EmbeddedExample.class, "[order-dashboard] Dashboard: OrderPlaced in order-");

        Map<Class<?>, JavaProcess> running = new LinkedHashMap<>();
        try {
            for (Class<?> main : examples.keySet()) {
                running.put(
                        main,
                        JavaProcess.start(
                                dir.resolve(main.getSimpleName()),
                                NO_SERVICES,
                                List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
                                main));
            }
            for (Map.Entry<Class<?>, JavaProcess> entry : running.entrySet()) {
                JavaProcess app = entry.getValue();
                app.awaitLine(
                        line -> line.contains("EventStoreDB  in-process testkit server esdb://127.0.0.1:"), START);
                app.awaitLine(line -> line.contains(examples.get(entry.getKey())), START);
            }
            for (JavaProcess app : running.values()) {
                assertThat(app.terminate(Duration.ofSeconds(30))).isEqualTo(143);
                // the routes stopped before the JVM did: the consumer handed its last position to the strategy
                assertThat(app.stdout()).anyMatch(line -> line.contains("Stopping the resumable strategy"));
                assertThat(app.stderr()).isEmpty();
            }
        } finally {
            running.values().forEach(JavaProcess::close);
        }
    }
}
