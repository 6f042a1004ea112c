package dev.camel.eventstore;

/**
 * An event the route can never process, however often it is delivered again (data a configured transform cannot
 * read, a record larger than the sink accepts). The consumer does not retry an exchange that failed with it
 * (anywhere in its cause chain) and was not handled by the route's error handler: it stops the route at once, as
 * after its last attempt, with the reason. The event is not checkpointed and is delivered again when the route
 * starts.
 */
public class UnprocessableEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnprocessableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
