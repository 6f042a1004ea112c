package dev.camel.eventstore.connectors;

/**
 * An event the connector cannot process as configured (e.g. data that is not JSON under a JSON filter or
 * transform): retrying cannot help, so it goes to the dead-letter endpoint at once when there is one.
 */
public class InvalidRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String message, Throwable cause) {
        super(
                message + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
                cause);
    }
}
