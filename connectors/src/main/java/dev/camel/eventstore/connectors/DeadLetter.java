package dev.camel.eventstore.connectors;

import dev.camel.eventstore.EventStoreConstants;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a failed delivery becomes. Without a dead-letter endpoint, or before the last attempt, the failure
 * is thrown on, and the consumer retries the event (or stops the route after {@code retryMaxAttempts}). At the last
 * attempt, or at once for an event the connector cannot process as configured ({@link InvalidRecordException}, also
 * a record Kafka refuses for its size), the event goes to the dead-letter endpoint with the reason in headers, and
 * the connector moves on; without a dead-letter endpoint such an event stops the connector at once.
 */
final class DeadLetter implements Processor {
    static final String ERROR_HEADER = "esdb-error";
    static final String ERROR_TYPE_HEADER = "esdb-error-type";
    /** The delivery attempt, kept by {@link RecordHeaders}. */
    static final String ATTEMPT_PROPERTY = "esdb-delivery-attempt";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetter.class);

    private final String uri;
    private final int lastAttempt;
    private final UnaryOperator<Exception> sinkFailures;
    private ProducerTemplate producer;

    /**
     * @param sinkFailures gives a sink's failure that no attempt can cure as an {@link InvalidRecordException}, and
     *     any other as it is
     */
    DeadLetter(String uri, int lastAttempt, UnaryOperator<Exception> sinkFailures) {
        this.uri = uri;
        this.lastAttempt = lastAttempt;
        this.sinkFailures = sinkFailures;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception failure = sinkFailures.apply(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        // a property, as a sink step may have removed the consumer's headers (the logger does)
        int attempt = exchange.getProperty(ATTEMPT_PROPERTY, 1, Integer.class);
        boolean invalid = failure instanceof InvalidRecordException;
        if (uri == null || failure instanceof NotSentException || (!invalid && attempt < lastAttempt)) {
            throw failure;
        }
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        exchange.getMessage().setHeader(ERROR_HEADER, reason);
        exchange.getMessage().setHeader(ERROR_TYPE_HEADER, failure.getClass().getName());
        LOG.warn(
                "Connector {}: event {} of {} sent to {} after {} attempt(s): {}",
                exchange.getFromRouteId(),
                header(exchange, EventStoreConstants.REVISION, RecordHeaders.STREAM_REVISION),
                header(exchange, EventStoreConstants.STREAM_ID, RecordHeaders.STREAM_ID),
                uri,
                attempt,
                reason);
        producer(exchange).send(uri, exchange);
        if (exchange.getException() != null) {
            // the dead-letter endpoint failed too: the event stays undelivered and is retried
            throw exchange.getException();
        }
    }

    /** The consumer's header, or the connector's copy when a sink step removed the consumer's headers. */
    private static Object header(Exchange exchange, String consumerHeader, String recordHeader) {
        Object value = exchange.getMessage().getHeader(consumerHeader);
        return value != null ? value : exchange.getMessage().getHeader(recordHeader);
    }

    private synchronized ProducerTemplate producer(Exchange exchange) {
        if (producer == null) {
            producer = exchange.getContext().createProducerTemplate();
        }
        return producer;
    }
}
