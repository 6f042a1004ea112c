package dev.camel.eventstore.connectors;

/**
 * An event was not sent because an event before it failed: it is delivered again after that one, and never
 * dead-lettered for this reason, as the sink never saw it.
 */
final class NotSentException extends Exception {
    NotSentException(String message) {
        super(message);
    }
}
