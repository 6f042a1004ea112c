package dev.camel.eventstore.consumer;

/**
 * The consumer's options as the endpoint's configuration holds them, before validation; implemented by {@code
 * EventStoreConfiguration}. {@link ConsumerSettings} reads and checks them once.
 */
public interface ConsumerOptions {
    String getUsername();

    String getPassword();

    String getInitialPosition();

    boolean isResolveLinkTos();

    String getStreamNamePrefixes();

    String getStreamNameRegex();

    String getEventTypePrefixes();

    String getEventTypeRegex();

    boolean isExcludeSystemEvents();

    int getCheckpointWindow();

    int getCheckpointIntervalMultiplier();

    int getMaxInFlight();

    boolean isOneInFlightPerStream();

    int getBufferSize();

    long getRetryInitialDelay();

    long getRetryMaxDelay();

    int getRetryMaxAttempts();

    long getReconnectInitialDelay();

    long getReconnectMaxDelay();

    long getLivenessCheckInterval();

    String getCheckpointKey();

    long getResumeLoadTimeout();
}
