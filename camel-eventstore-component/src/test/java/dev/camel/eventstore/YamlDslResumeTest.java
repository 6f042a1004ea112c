package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The resume strategy declared and wired in YAML DSL only: a {@code beans} entry creates the {@link
 * EventStoreResumeStrategy} with its properties, and the route's {@code resumable} step names it.
 *
 * <p>{@code intermittent} stays {@code false} (Camel's default, written out here): the consumer sets the {@code
 * CamelOffset} header on every exchange that completes, before Camel's resume processor reads it, so every
 * exchange has an offset. With {@code false}, an exchange without one would fail with {@code NoOffsetException}
 * (this test would then see events delivered again and again); {@code true} would hide such a gap by silently
 * storing nothing. Dead-lettered events and server checkpoints, which have no successful exchange, are stored by
 * the consumer itself and need no {@code intermittent} either.
 */
class YamlDslResumeTest extends ResumeStrategyTestSupport {
    private static final String ROUTES =
            """
            - beans:
                - name: checkpoints
                  type: dev.camel.eventstore.resume.EventStoreResumeStrategy
                  properties:
                    checkpointStreamPrefix: yaml-checkpoint-
                    checkpointRecordsThreshold: 5
                    checkpointInterval: 3600000
                    maxCount: 4
            - route:
                id: yaml-orders
                from:
                  uri: "eventstore:$all"
                  parameters:
                    connectionString: "{{eventstore.connection}}"
                    streamNamePrefixes: orders-
                  steps:
                    - resumable:
                        resumeStrategy: checkpoints
                        intermittent: false
                        loggingLevel: WARN
                    - process:
                        ref: sink
            """;

    private CamelContext context;
    private final List<Integer> numbers = new CopyOnWriteArrayList<>();
    private final List<String> positions = new CopyOnWriteArrayList<>();

    /** Before the server of {@link ResumeStrategyTestSupport} closes. */
    @AfterEach
    void stopContext() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void aYamlRouteWithAYamlDeclaredStrategyResumesAfterRestart() throws Exception {
        context = startYaml();
        EventStoreResumeStrategy strategy =
                context.getRegistry().lookupByNameAndType("checkpoints", EventStoreResumeStrategy.class);
        assertThat(strategy).isNotNull();
        assertThat(strategy.isStarted()).isTrue();

        // checkpointRecordsThreshold: 5 from the YAML bean: every fifth event is written while the route runs
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 5);
        await().until(() -> positions.size() == 5 && positions.get(4).equals(stored()));
        TestEvents.append(server, "orders-2", "OrderPlaced", 5, 5);
        // five updates later: the events, and a server checkpoint of the filtered subscription if one came (the
        // checkpoint events themselves are filtered out, so one may come here)
        await().until(() -> positions.size() == 10 && positions.subList(8, 10).contains(stored()));
        TestEvents.append(server, "orders-1", "OrderPlaced", 10, 2);
        await().until(() -> numbers.size() >= 12);
        context.stop();
        // stopped with the route that used it: its writer thread is gone
        assertThat(strategy.isStopped()).isTrue();
        assertThat(stored()).isEqualTo(positions.get(11));
        assertThat(checkpoints.read("yaml-checkpoint-yaml-orders"))
                .extracting(CheckpointStreams.Stored::key)
                .containsOnly("yaml-orders");
        assertThat(checkpoints.metadata("yaml-checkpoint-yaml-orders").getMaxCount())
                .isEqualTo(4L);

        // events written while it was down, then live ones after the restart
        TestEvents.append(server, "orders-3", "OrderPlaced", 12, 8);
        context = startYaml();
        await().until(() -> numbers.size() >= 20);
        TestEvents.append(server, "orders-1", "OrderPlaced", 20, 5);
        await().until(() -> numbers.size() >= 25);
        context.stop();
        context = null;

        assertThat(numbers)
                .containsExactlyElementsOf(IntStream.range(0, 25).boxed().toList());
        assertThat(stored()).isEqualTo(positions.get(24));
    }

    private String stored() throws Exception {
        return checkpoints.latest("yaml-checkpoint-yaml-orders");
    }

    private CamelContext startYaml() throws Exception {
        CamelContext yaml = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("eventstore.connection", server.connectionString());
        yaml.getPropertiesComponent().setInitialProperties(properties);
        yaml.getRegistry().bind("sink", (Processor) this::record);
        PluginHelper.getRoutesLoader(yaml).loadRoutes(ResourceHelper.fromString("resume.yaml", ROUTES));
        yaml.start();
        return yaml;
    }

    private void record(Exchange exchange) {
        numbers.add(TestEvents.number(exchange.getMessage().getBody(byte[].class)));
        positions.add(exchange.getMessage().getHeader(EventStoreConstants.POSITION, String.class));
    }
}
