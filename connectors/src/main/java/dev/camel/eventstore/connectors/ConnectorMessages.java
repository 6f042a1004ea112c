package dev.camel.eventstore.connectors;

/**
 * Text the connectors and an application embedding them show about themselves: why a connector could not be
 * created, and URLs without their credentials.
 */
public final class ConnectorMessages {
    private ConnectorMessages() {}

    /**
     * The innermost message of a failure: when a connector is refused at startup, the one that names the setting
     * (Camel wraps it in route and template exceptions whose messages do not).
     */
    public static String rootMessage(Throwable failure) {
        Throwable t = failure;
        String message = t.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? failure.toString() : message;
    }

    /** A URL with any user info replaced by {@code ***}, for logs and error messages. */
    public static String redactUrl(String url) {
        return url.replaceFirst("(?<=://)[^@/]*@", "***@");
    }
}
