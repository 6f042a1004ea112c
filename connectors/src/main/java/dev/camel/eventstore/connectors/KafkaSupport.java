package dev.camel.eventstore.connectors;

import org.apache.camel.component.kafka.KafkaHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * What the Kafka connector takes from camel-kafka and kafka-clients, in a class of its own: only a Kafka connector
 * loads it, so the other connectors run without these optional dependencies.
 */
final class KafkaSupport {
    private KafkaSupport() {}

    /**
     * camel-kafka's header filter (no {@code Camel*}, {@code camel*}, {@code org.apache.camel.*} or {@code kafka.*}
     * header becomes a record header) without its second, lower-cased comparison of every other header: the
     * connector's own headers have exactly those prefixes, and lower-casing each esdb-* header name of each event
     * took a tenth of the dispatching thread's profile samples.
     */
    static HeaderFilterStrategy headerFilter() {
        KafkaHeaderFilterStrategy filter = new KafkaHeaderFilterStrategy();
        filter.setLowerCase(false);
        return filter;
    }

    /**
     * A record larger than the producer's max.request.size or the broker's message.max.bytes: no attempt can
     * succeed, so the dead letter step takes it as an invalid record.
     */
    static Exception classify(Exception failure) {
        return failure instanceof RecordTooLargeException
                ? new InvalidRecordException("Kafka does not accept a record of this size", failure)
                : failure;
    }
}
