package dev.camel.eventstore;

import dev.camel.eventstore.client.ConnectionSettings;
import dev.camel.eventstore.client.Timeouts;
import dev.camel.eventstore.consumer.ConsumerOptions;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of an {@code eventstore:} endpoint; the component holds defaults for all its endpoints. The connection
 * options come from {@link ConnectionSettings}.
 */
@UriParams
public class EventStoreConfiguration extends ConnectionSettings implements Cloneable, ConsumerOptions {
    /** The default of {@code initialPosition}: the whole log, so that a new consumer misses nothing. */
    public static final String DEFAULT_INITIAL_POSITION = "earliest";
    /** The default of {@code excludeSystemEvents}. */
    public static final boolean DEFAULT_EXCLUDE_SYSTEM_EVENTS = true;
    /** The default of {@code resolveLinkTos}. */
    public static final boolean DEFAULT_RESOLVE_LINK_TOS = false;
    /** The default of {@code maxInFlight}: one exchange at a time. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1;
    /** The default of {@code retryInitialDelay}, in milliseconds. */
    public static final long DEFAULT_RETRY_INITIAL_DELAY = 1000;
    /** The default of {@code retryMaxDelay}, in milliseconds. */
    public static final long DEFAULT_RETRY_MAX_DELAY = 60_000;
    /** The default of {@code retryMaxAttempts}: retry forever. */
    public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 0;
    /** The default of {@code resumeLoadTimeout}, in milliseconds. */
    public static final long DEFAULT_RESUME_LOAD_TIMEOUT = Timeouts.DEFAULT_RESUME_LOAD_MILLIS;

    // ---- consumer ----

    @UriParam(
            label = "consumer",
            defaultValue = EventStoreConfiguration.DEFAULT_INITIAL_POSITION,
            description = "Where the subscription starts when no checkpoint is stored: earliest (the start of the"
                    + " log), latest (its end: only events written from then on), a $all position (commit/prepare,"
                    + " or commit alone) or a stream revision. The position itself is not delivered.")
    private String initialPosition = DEFAULT_INITIAL_POSITION;

    @UriParam(
            label = "consumer",
            description =
                    "Resolve link events (as projections write to $ce- and $et- streams) to the events they point to.")
    private boolean resolveLinkTos = DEFAULT_RESOLVE_LINK_TOS;

    @UriParam(
            label = "consumer,filter",
            description = "$all only: deliver only events whose stream name starts with one of these prefixes"
                    + " (comma-separated). Filtered on the server.")
    private String streamNamePrefixes;

    @UriParam(
            label = "consumer,filter",
            description = "$all only: deliver only events whose stream name matches this regular expression"
                    + " (unanchored, like the server's). Filtered on the server.")
    private String streamNameRegex;

    @UriParam(
            label = "consumer,filter",
            description = "$all only: deliver only events whose type starts with one of these prefixes"
                    + " (comma-separated). Filtered on the server.")
    private String eventTypePrefixes;

    @UriParam(
            label = "consumer,filter",
            description = "$all only: deliver only events whose type matches this regular expression (unanchored)."
                    + " Filtered on the server.")
    private String eventTypeRegex;

    @UriParam(
            label = "consumer,filter",
            defaultValue = "" + DEFAULT_EXCLUDE_SYSTEM_EVENTS,
            description = "$all only: leave out system events (types starting with $). Filtered on the server,"
                    + " combined with an event type filter; with a stream name filter they are left out by the"
                    + " consumer instead.")
    private boolean excludeSystemEvents = DEFAULT_EXCLUDE_SYSTEM_EVENTS;

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "32",
            description = "Filtered $all subscriptions: the server's search window, in events.")
    private int checkpointWindow = 32;

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "1",
            description = "Filtered $all subscriptions: the server sends a checkpoint every checkpointWindow x"
                    + " checkpointIntervalMultiplier events it reads, matched or not, so that the stored position"
                    + " advances even when the filter matches nothing.")
    private int checkpointIntervalMultiplier = 1;

    @UriParam(
            label = "consumer",
            defaultValue = "" + DEFAULT_MAX_IN_FLIGHT,
            description = "How many exchanges may be in flight at once, dispatched in order through Camel's"
                    + " asynchronous routing engine (1 = strictly one at a time). More lets asynchronous sinks such"
                    + " as Kafka pipeline; the stored position only covers the contiguous run of completed events.")
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "With maxInFlight above 1: at most one exchange per stream in flight, so that a sink"
                    + " without ordering of its own (such as HTTP) receives each stream's events in order. An event"
                    + " whose stream already has an exchange in flight waits for it, and so do the events after it.")
    private boolean oneInFlightPerStream;

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "1000",
            description = "Events received and waiting for dispatch; when full, the subscription is slowed down"
                    + " by the server's flow control.")
    private int bufferSize = 1000;

    @UriParam(
            label = "consumer",
            defaultValue = "RETRY",
            enums = "RETRY,STOP",
            description = "What happens to an event whose exchange failed and was not handled by the route's"
                    + " error handler: RETRY it with exponential backoff (nothing after it is dispatched meanwhile),"
                    + " or STOP the route. Either way it is never skipped and never checkpointed.")
    private FailedExchangeAction failedExchangeAction = FailedExchangeAction.RETRY;

    @UriParam(
            label = "consumer",
            defaultValue = "" + DEFAULT_RETRY_INITIAL_DELAY,
            javaType = "java.time.Duration",
            description = "First delay before a failed exchange is retried, in milliseconds; it doubles each attempt.")
    private long retryInitialDelay = DEFAULT_RETRY_INITIAL_DELAY;

    @UriParam(
            label = "consumer",
            defaultValue = "" + DEFAULT_RETRY_MAX_DELAY,
            javaType = "java.time.Duration",
            description = "Longest delay between two retries of a failed exchange, in milliseconds.")
    private long retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;

    @UriParam(
            label = "consumer",
            defaultValue = "" + DEFAULT_RETRY_MAX_ATTEMPTS,
            description = "Attempts (the first delivery included) after which a failing event stops the route;"
                    + " 0 retries forever.")
    private int retryMaxAttempts = DEFAULT_RETRY_MAX_ATTEMPTS;

    @UriParam(
            label = "consumer",
            defaultValue = "500",
            javaType = "java.time.Duration",
            description = "First delay before the subscription is re-established after it was lost, in milliseconds;"
                    + " it doubles each attempt.")
    private long reconnectInitialDelay = 500;

    @UriParam(
            label = "consumer",
            defaultValue = "30000",
            javaType = "java.time.Duration",
            description = "Longest delay between two attempts to re-establish the subscription, in milliseconds.")
    private long reconnectMaxDelay = 30_000;

    @UriParam(
            label = "consumer",
            defaultValue = "5000",
            javaType = "java.time.Duration",
            description = "How often a quiet subscription is checked against the head of the log, in milliseconds,"
                    + " to detect a subscription that ended without telling (the 5.4.5 client does not always"
                    + " report it). 0 disables the check.")
    private long livenessCheckInterval = 5000;

    @UriParam(
            label = "consumer",
            description = "The key under which the resume strategy stores this consumer's position; the route id"
                    + " by default.")
    private String checkpointKey;

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "30000",
            javaType = "java.time.Duration",
            description = "How long the consumer waits at start for a resume strategy that loads the stored"
                    + " positions in the background (such as camel-kafka's) to have read them all, in milliseconds.")
    private long resumeLoadTimeout = DEFAULT_RESUME_LOAD_TIMEOUT;

    // ---- producer ----

    @UriParam(
            label = "producer",
            description = "Type of the events to append; the " + EventStoreConstants.EVENT_TYPE
                    + " header overrides it. One of them is required.")
    private String eventType;

    @UriParam(
            label = "producer",
            defaultValue = "application/json",
            enums = "application/json,application/octet-stream",
            description = "Content type of the events to append.")
    private String contentType = "application/json";

    @UriParam(
            label = "producer",
            defaultValue = "any",
            description = "The revision the stream must be at for the append to succeed: any, no_stream,"
                    + " stream_exists or a revision number. A mismatch fails the exchange with a"
                    + " WrongExpectedVersionException.")
    private String expectedRevision = "any";

    public EventStoreConfiguration copy() {
        try {
            return (EventStoreConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getInitialPosition() {
        return initialPosition;
    }

    public void setInitialPosition(String initialPosition) {
        this.initialPosition = initialPosition;
    }

    public boolean isResolveLinkTos() {
        return resolveLinkTos;
    }

    public void setResolveLinkTos(boolean resolveLinkTos) {
        this.resolveLinkTos = resolveLinkTos;
    }

    public String getStreamNamePrefixes() {
        return streamNamePrefixes;
    }

    public void setStreamNamePrefixes(String streamNamePrefixes) {
        this.streamNamePrefixes = streamNamePrefixes;
    }

    public String getStreamNameRegex() {
        return streamNameRegex;
    }

    public void setStreamNameRegex(String streamNameRegex) {
        this.streamNameRegex = streamNameRegex;
    }

    public String getEventTypePrefixes() {
        return eventTypePrefixes;
    }

    public void setEventTypePrefixes(String eventTypePrefixes) {
        this.eventTypePrefixes = eventTypePrefixes;
    }

    public String getEventTypeRegex() {
        return eventTypeRegex;
    }

    public void setEventTypeRegex(String eventTypeRegex) {
        this.eventTypeRegex = eventTypeRegex;
    }

    public boolean isExcludeSystemEvents() {
        return excludeSystemEvents;
    }

    public void setExcludeSystemEvents(boolean excludeSystemEvents) {
        this.excludeSystemEvents = excludeSystemEvents;
    }

    public int getCheckpointWindow() {
        return checkpointWindow;
    }

    public void setCheckpointWindow(int checkpointWindow) {
        this.checkpointWindow = checkpointWindow;
    }

    public int getCheckpointIntervalMultiplier() {
        return checkpointIntervalMultiplier;
    }

    public void setCheckpointIntervalMultiplier(int checkpointIntervalMultiplier) {
        this.checkpointIntervalMultiplier = checkpointIntervalMultiplier;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public boolean isOneInFlightPerStream() {
        return oneInFlightPerStream;
    }

    public void setOneInFlightPerStream(boolean oneInFlightPerStream) {
        this.oneInFlightPerStream = oneInFlightPerStream;
    }

    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public FailedExchangeAction getFailedExchangeAction() {
        return failedExchangeAction;
    }

    public void setFailedExchangeAction(FailedExchangeAction failedExchangeAction) {
        this.failedExchangeAction = failedExchangeAction;
    }

    public long getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(long retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public long getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public int getRetryMaxAttempts() {
        return retryMaxAttempts;
    }

    public void setRetryMaxAttempts(int retryMaxAttempts) {
        this.retryMaxAttempts = retryMaxAttempts;
    }

    public long getReconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    public void setReconnectInitialDelay(long reconnectInitialDelay) {
        this.reconnectInitialDelay = reconnectInitialDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public void setReconnectMaxDelay(long reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public long getLivenessCheckInterval() {
        return livenessCheckInterval;
    }

    public void setLivenessCheckInterval(long livenessCheckInterval) {
        this.livenessCheckInterval = livenessCheckInterval;
    }

    public String getCheckpointKey() {
        return checkpointKey;
    }

    public void setCheckpointKey(String checkpointKey) {
        this.checkpointKey = checkpointKey;
    }

    @Override
    public long getResumeLoadTimeout() {
        return resumeLoadTimeout;
    }

    public void setResumeLoadTimeout(long resumeLoadTimeout) {
        this.resumeLoadTimeout = resumeLoadTimeout;
    }

    public String getEventType() {
        return eventType;
    }

    public void setEventType(String eventType) {
        this.eventType = eventType;
    }

    public String getContentType() {
        return contentType;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    public String getExpectedRevision() {
        return expectedRevision;
    }

    public void setExpectedRevision(String expectedRevision) {
        this.expectedRevision = expectedRevision;
    }
}
