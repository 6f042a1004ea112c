package dev.camel.eventstore.client;

import java.time.Duration;

/**
 * Every time limit of the component's calls to EventStoreDB, in one place. Those a user may need to change are
 * options ({@code resumeLoadTimeout} of the consumer) whose defaults are here.
 */
public final class Timeouts {
    /** One read, append or metadata call, and the shutdown of a client. */
    public static final Duration OPERATION = Duration.ofSeconds(10);
    /** The server's confirmation of a new subscription. */
    public static final Duration SUBSCRIBE = Duration.ofSeconds(30);
    /** Each step of the connection probe (connect, TLS handshake). */
    public static final Duration PROBE = Duration.ofMillis(2000);
    /** How long a stopping consumer waits for its exchanges in flight. */
    public static final Duration DRAIN = Duration.ofSeconds(30);
    /** The default of the consumer's {@code resumeLoadTimeout}: a resume strategy loading in the background. */
    public static final long DEFAULT_RESUME_LOAD_MILLIS = 30_000;

    private Timeouts() {}
}
