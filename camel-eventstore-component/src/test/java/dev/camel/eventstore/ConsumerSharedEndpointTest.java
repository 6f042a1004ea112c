package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

/**
 * Two routes reading from the same endpoint URI, as two connectors with the same source settings do: both start,
 * each gets every event in order through its own subscription, and each reports its own health.
 */
class ConsumerSharedEndpointTest extends ConsumerServerTestSupport {
    @Test
    void twoRoutesOnTheSameEndpointEachReceiveEveryEvent() throws Exception {
        String uri = uri("$all", "initialPosition=earliest", "streamNamePrefixes=shared-");
        Recorder first = recording(uri, "first");
        Recorder second = startRecording(uri, "second");

        assertThat(context.getRoute("first").getEndpoint())
                .isSameAs(context.getRoute("second").getEndpoint());
        append("shared-1", 0, 20);
        await().atMost(WAIT).until(() -> first.size() >= 20 && second.size() >= 20);
        List<Integer> all = IntStream.range(0, 20).boxed().toList();
        assertThat(first.numbers()).isEqualTo(all);
        assertThat(second.numbers()).isEqualTo(all);

        await().atMost(WAIT).untilAsserted(() -> assertThat(HealthCheckHelper.invoke(context, "full"))
                .filteredOn(r -> r.getCheck().getId().startsWith("consumer:eventstore-"))
                .extracting(r -> r.getCheck().getId() + "=" + r.getState())
                .containsExactlyInAnyOrder(
                        "consumer:eventstore-first=" + HealthCheck.State.UP,
                        "consumer:eventstore-second=" + HealthCheck.State.UP));
    }
}
