package dev.camel.eventstore.connectors;

/** The HTTP service answered with a status code the connector does not count as delivered. */
public class HttpDeliveryException extends Exception {
    private final int statusCode;

    HttpDeliveryException(String message, int statusCode) {
        super(message);
        this.statusCode = statusCode;
    }

    /** The status code the service answered with. */
    public int getStatusCode() {
        return statusCode;
    }
}
