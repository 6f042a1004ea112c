package dev.camel.eventstore.examples.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.RecordedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.examples.support.ExampleHarness;
import dev.camel.eventstore.examples.support.Positions;
import dev.camel.eventstore.examples.support.RunningMain;
import dev.camel.eventstore.examples.support.SampleOrders;
import dev.camel.eventstore.examples.support.SampleOrders.SampleEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.component.master.MasterConsumer;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two replicas of the high availability example in this JVM, each a camel-main application with its own file lock
 * cluster service on one shared directory, against one testkit server: in its Java DSL form and in its YAML DSL form.
 * Only the elected replica runs the consumer, so only it claims the checkpoint; when it stops, the other takes over
 * after the checkpoint it left, and claims it in turn.
 */
class HaExampleTest {
    private static final Duration ELECTION = Duration.ofSeconds(30);
    /** How long a replica is watched doing nothing more: several of its attempts to take the lock (every second). */
    private static final Duration QUIET = Duration.ofSeconds(3);

    private static final String CHECKPOINTS = "camel-checkpoint-order-audit";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The example's two forms: same route, namespace and checkpoint. */
    enum Form {
        JAVA_DSL(HaExample::create),
        YAML_DSL(HaYamlExample::create);

        private final HaLauncher.Application application;

        Form(HaLauncher.Application application) {
            this.application = application;
        }

        Main create(String connectionString, Replica replica) {
            return application.create(connectionString, replica);
        }
    }

    @RegisterExtension
    final ExampleHarness example = new ExampleHarness("order-audit");

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(Form.class)
    void oneReplicaAuditsAndTheOtherTakesOverAfterItsCheckpoint(Form form) throws Exception {
        SampleOrders.write(example.connectionString(), SampleOrders.EVENTS);
        List<SampleEvent> orders = SampleOrders.EVENTS.stream()
                .filter(event -> event.stream().startsWith("order-"))
                .toList();

        RunningMain a = RunningMain.start(form.create(example.connectionString(), new Replica("replica-a", root)));
        RunningMain b = RunningMain.start(form.create(example.connectionString(), new Replica("replica-b", root)));
        try {
            await().atMost(ELECTION).until(() -> isMaster(a) || isMaster(b));
            RunningMain active = isMaster(a) ? a : b;
            RunningMain standby = active == a ? b : a;
            String activeId = active == a ? "replica-a" : "replica-b";
            String standbyId = active == a ? "replica-b" : "replica-a";

            // the elected replica audits the order events, in log order; the standby, all the while trying to take
            // the lock, neither delivers nor claims the checkpoint
            await().atMost(ELECTION).until(() -> audited().size() >= orders.size());
            await().during(QUIET)
                    .atMost(QUIET.multipliedBy(3))
                    .until(() -> audited().size() == orders.size() && claims() == 1 && !isMaster(standby));
            assertThat(audited()).containsExactlyElementsOf(lines(activeId, orders));
            assertThat(standby.context()
                            .getRouteController()
                            .getRouteStatus("order-audit")
                            .isStarted())
                    .as("the standby's route runs, waiting for the leadership")
                    .isTrue();

            // a graceful stop stores the position of the last event audited, and gives up the lock
            active.close();
            String lastAudited = example.reader().positionOfLast("order-1001");
            assertThat(Positions.atOrAfter(example.reader().stored("order-audit"), lastAudited))
                    .isTrue();

            // the standby takes over after that checkpoint: exactly the new order's events, nothing again
            List<SampleEvent> newOrder = PlaceOrders.order("2001");
            SampleOrders.write(example.connectionString(), newOrder);
            await().atMost(ELECTION).until(() -> isMaster(standby) && audited().size() >= orders.size() + 3);
            await().during(QUIET)
                    .atMost(QUIET.multipliedBy(3))
                    .until(() -> audited().size() == orders.size() + 3);
            assertThat(audited().subList(orders.size(), orders.size() + 3))
                    .containsExactlyElementsOf(lines(standbyId, newOrder));
            // it claimed the checkpoint once elected: the write of a replica deposed meanwhile would be refused
            assertThat(claims()).isEqualTo(2);
        } finally {
            closeBoth(a, b);
        }
    }

    private static void closeBoth(RunningMain a, RunningMain b) throws Exception {
        try {
            a.close(); // closing an application that stopped already returns at once
        } finally {
            b.close();
        }
    }

    private static boolean isMaster(RunningMain replica) {
        return replica.context().getRoute("order-audit").getConsumer() instanceof MasterConsumer consumer
                && consumer.isMaster();
    }

    /** The audit lines logged so far, without the position at their end: {@code replica-a audits order-1001 ...}. */
    private List<String> audited() {
        return example.logged().stream()
                .map(line -> line.substring(0, line.lastIndexOf(" at ")))
                .toList();
    }

    private static List<String> lines(String replicaId, List<SampleEvent> events) {
        return events.stream()
                .map(event -> "INFO order-audit: " + replicaId + " audits " + event.stream() + " " + event.type())
                .toList();
    }

    /** The claims in the checkpoint stream: its events whose JSON has {@code "claim":true}. */
    private long claims() throws Exception {
        return example.reader().read(CHECKPOINTS).stream()
                .map(HaExampleTest::json)
                .filter(json -> json.path("claim").asBoolean(false))
                .count();
    }

    private static JsonNode json(RecordedEvent event) {
        try {
            return JSON.readTree(event.getEventData());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(event.getEventData()), e);
        }
    }
}
