package dev.camel.eventstore.examples.javadsl;

import dev.camel.eventstore.EventStoreConstants;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Every event of the {@code order-*} streams, in log order, to a Kafka topic keyed by stream, resuming after the
 * position stored in EventStoreDB. The connection string, brokers and topic come from {@code application.properties}.
 */
public class OrdersToKafkaRoute extends RouteBuilder {
    @Override
    public void configure() {
        // $all filtered on the server: events of other streams never cross the network
        from("eventstore:$all?streamNamePrefixes=order-")
                .routeId("orders-to-kafka") // also the key under which the position is stored
                .resumable("checkpoints") // the EventStoreResumeStrategy bean: resume after the stored position
                // one key per stream: all events of an order land in one partition, in order
                .setHeader(KafkaConstants.KEY, header(EventStoreConstants.STREAM_ID))
                .setHeader("event-type", header(EventStoreConstants.EVENT_TYPE))
                .to("kafka:{{orders.topic}}")
                .log("${header.CamelEventStoreStreamId} ${header.CamelEventStoreEventType}"
                        + " -> kafka:{{orders.topic}}");
    }
}
