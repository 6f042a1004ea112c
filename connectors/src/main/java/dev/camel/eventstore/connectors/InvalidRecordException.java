package dev.camel.eventstore.connectors;

import dev.camel.eventstore.UnprocessableEventException;

/**
 * An event the connector cannot process as configured (e.g. data that is not JSON under a JSON filter or
 * transform, a record larger than Kafka accepts): retrying cannot help, so it goes to the dead-letter endpoint at
 * once when there is one, and otherwise the consumer stops the connector at once.
 */
public class InvalidRecordException extends UnprocessableEventException {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String message, Throwable cause) {
        super(
                message + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
                cause);
    }
}
