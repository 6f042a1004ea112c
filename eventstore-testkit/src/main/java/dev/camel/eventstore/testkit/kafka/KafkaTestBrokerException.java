package dev.camel.eventstore.testkit.kafka;

/** Thrown when the in-process Kafka test broker cannot be prepared, started, stopped or used. */
public final class KafkaTestBrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaTestBrokerException(String message) {
        super(message);
    }

    public KafkaTestBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
