package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * The consumer's statistics and state as JMX attributes of its MBean (camel-management registers it), and the
 * same values through its typed API.
 */
class ConsumerJmxTest extends ConsumerServerTestSupport {
    @Test
    void theConsumerMBeanShowsCountsPositionsAndState() throws Exception {
        append("jmx-1", 0, 5);
        EventStoreResumeStrategy checkpoints = new EventStoreResumeStrategy();
        checkpoints.setCheckpointRecordsThreshold(1);
        context.getRegistry().bind("checkpoints", checkpoints);
        String uri = uri("jmx-1");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("jmx").resumable("checkpoints").log("${body}");
            }
        });
        context.start();

        EventStoreConsumer consumer = consumer("jmx");
        await().atMost(WAIT)
                .until(() -> consumer.getDeliveredCount() == 5
                        && consumer.getState() == EventStoreConsumerState.LIVE
                        && SubscriptionPosition.ofRevision(4).equals(consumer.getCheckpointPosition()));
        assertThat(consumer.getProcessedPosition()).isEqualTo(SubscriptionPosition.ofRevision(4));
        assertThat(consumer.getFailedCount()).isZero();

        MBeanServer mbeans =
                context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null);
        ObjectName name = names.stream()
                .filter(n -> "jmx".equals(attribute(mbeans, n, "RouteId")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no consumer MBean of route jmx among " + names));
        assertThat(mbeans.getAttribute(name, "DeliveredCount")).isEqualTo(5L);
        assertThat(mbeans.getAttribute(name, "FailedCount")).isEqualTo(0L);
        assertThat(mbeans.getAttribute(name, "StateText")).isEqualTo("LIVE");
        assertThat(mbeans.getAttribute(name, "ProcessedPositionText")).isEqualTo("4");
        assertThat(mbeans.getAttribute(name, "CheckpointPositionText")).isEqualTo("4");
    }

    private static Object attribute(MBeanServer mbeans, ObjectName name, String attribute) {
        try {
            return mbeans.getAttribute(name, attribute);
        } catch (Exception e) {
            return null;
        }
    }
}
