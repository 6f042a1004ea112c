package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a sink received, checked against the log it came from: every event exactly once, in log order. Shared by
 * the scenarios whose sink must see each event once within one process (Kafka records, accepted HTTP requests).
 */
final class LogOrder {
    private LogOrder() {}

    /** One delivery, as the sink saw it: the event's stream, its revision there, its commit position in $all. */
    record Delivery(String stream, long revision, long logPosition) {}

    /**
     * Every event exactly once; log positions strictly increasing; each stream's revisions 0, 1, 2, ... with the
     * expected number per stream and {@code written} in all. Returns the duplicates found (0 when it returns).
     */
    static int assertExactlyOnceInLogOrder(List<Delivery> deliveries, Map<String, Integer> perStream, int written) {
        Set<String> seen = new HashSet<>();
        Map<String, Long> next = new HashMap<>();
        long previousPosition = -1;
        int duplicates = 0;
        int outOfOrder = 0;
        for (Delivery delivery : deliveries) {
            if (!seen.add(delivery.stream() + "@" + delivery.revision())) {
                duplicates++;
            }
            if (delivery.logPosition() <= previousPosition) {
                outOfOrder++;
            }
            previousPosition = delivery.logPosition();
            long expected = next.getOrDefault(delivery.stream(), 0L);
            assertThat(delivery.revision())
                    .as("next revision of " + delivery.stream())
                    .isEqualTo(expected);
            next.put(delivery.stream(), expected + 1);
        }
        assertThat(duplicates).as("duplicates").isZero();
        assertThat(outOfOrder).as("deliveries out of log order").isZero();
        assertThat(deliveries).hasSize(written);
        Map<String, Integer> delivered = new HashMap<>();
        next.forEach((stream, count) -> delivered.put(stream, count.intValue()));
        assertThat(delivered).isEqualTo(perStream);
        return duplicates;
    }
}
