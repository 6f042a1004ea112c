package dev.camel.eventstore.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The consumer's parts log under the consumer's own logger name: the one users configure and tests capture. */
final class ConsumerLog {
    static final Logger LOG = LoggerFactory.getLogger("dev.camel.eventstore.EventStoreConsumer");

    private ConsumerLog() {}
}
