package dev.camel.eventstore.consumer;

import com.eventstore.dbclient.Checkpointer;
import com.eventstore.dbclient.SubscriptionFilter;
import com.eventstore.dbclient.SubscriptionFilterBuilder;
import dev.camel.eventstore.client.Credentials;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.camel.util.backoff.BackOff;

/**
 * The consumer's options, validated once when the consumer is created: every invalid option fails with a message
 * naming it.
 */
public final class ConsumerSettings {
    /** The default of {@code initialPosition}: the EventStoreDB connectors' word for the start of the log. */
    private static final String EARLIEST = "earliest";

    private static final String ALL = "$all";
    /** Characters with a meaning in .NET and Java regular expressions, escaped when a prefix becomes a regex. */
    private static final String REGEX_SPECIALS = "\\^$.|?*+()[]{}";

    final String stream;
    final boolean all;
    final SubscriptionPosition initialPosition;
    final boolean startAtEnd;
    final boolean resolveLinkTos;
    /** The server-side filter of a $all subscription as a regex, or {@code null} for none. */
    final String filterRegex;
    /** Whether {@link #filterRegex} applies to stream names (else to event types). */
    final boolean filterOnStreamName;

    final int checkpointWindow;
    final int checkpointIntervalMultiplier;
    /** True when system events must be dropped by the consumer (a stream-name filter cannot also exclude them). */
    final boolean dropSystemEventsLocally;

    final int maxInFlight;
    final boolean oneInFlightPerStream;
    final int bufferSize;
    /** Whether a failed exchange stops the route at once (failedExchangeAction=STOP) instead of being retried. */
    final boolean stopOnFailedExchange;

    final BackOff retryBackOff;
    final int retryMaxAttempts;
    final BackOff reconnectBackOff;
    final long livenessCheckInterval;
    final String checkpointKey;
    final Credentials credentials;
    final long resumeLoadTimeout;

    private ConsumerSettings(String stream, ConsumerOptions c, boolean stopOnFailedExchange) {
        this.stream = stream;
        this.all = ALL.equals(stream);
        String start = c.getInitialPosition() == null
                ? EARLIEST
                : c.getInitialPosition().trim();
        // earliest and latest are the EventStoreDB connectors' words; start and end are still understood
        this.startAtEnd = start.equalsIgnoreCase("end") || start.equalsIgnoreCase("latest");
        this.initialPosition = startAtEnd
                ? SubscriptionPosition.START
                : start.equalsIgnoreCase("earliest") ? SubscriptionPosition.START : parsePosition(start, all);
        this.resolveLinkTos = c.isResolveLinkTos();

        boolean streamFilter = has(c.getStreamNamePrefixes()) || has(c.getStreamNameRegex());
        boolean typeFilter = has(c.getEventTypePrefixes()) || has(c.getEventTypeRegex());
        if (!all && (streamFilter || typeFilter)) {
            throw new IllegalArgumentException("Filters (streamNamePrefixes, streamNameRegex, eventTypePrefixes,"
                    + " eventTypeRegex) apply to $all only, not to the stream '" + stream + "'");
        }
        if (streamFilter && typeFilter) {
            throw new IllegalArgumentException("EventStoreDB filters on the stream name or on the event type, not"
                    + " both: set either streamNamePrefixes/streamNameRegex or eventTypePrefixes/eventTypeRegex");
        }
        if (has(c.getStreamNamePrefixes()) && has(c.getStreamNameRegex())) {
            throw new IllegalArgumentException("Set streamNamePrefixes or streamNameRegex, not both");
        }
        if (has(c.getEventTypePrefixes()) && has(c.getEventTypeRegex())) {
            throw new IllegalArgumentException("Set eventTypePrefixes or eventTypeRegex, not both");
        }
        this.checkpointWindow = positive("checkpointWindow", c.getCheckpointWindow());
        this.checkpointIntervalMultiplier =
                positive("checkpointIntervalMultiplier", c.getCheckpointIntervalMultiplier());
        boolean exclude = all && c.isExcludeSystemEvents();
        this.filterOnStreamName = streamFilter;
        this.filterRegex = all ? filterRegex(c, exclude) : null;
        this.dropSystemEventsLocally = exclude && streamFilter;

        this.maxInFlight = positive("maxInFlight", c.getMaxInFlight());
        this.oneInFlightPerStream = c.isOneInFlightPerStream();
        this.bufferSize = positive("bufferSize", c.getBufferSize());
        this.stopOnFailedExchange = stopOnFailedExchange;
        this.retryBackOff =
                doubling("retryInitialDelay", c.getRetryInitialDelay(), "retryMaxDelay", c.getRetryMaxDelay());
        this.retryMaxAttempts = (int) notNegative("retryMaxAttempts", c.getRetryMaxAttempts(), "no limit");
        this.reconnectBackOff = doubling(
                "reconnectInitialDelay", c.getReconnectInitialDelay(), "reconnectMaxDelay", c.getReconnectMaxDelay());
        this.livenessCheckInterval = notNegative("livenessCheckInterval", c.getLivenessCheckInterval(), "off");
        this.checkpointKey = has(c.getCheckpointKey()) ? c.getCheckpointKey().trim() : null;
        if (has(c.getUsername()) != has(c.getPassword())) {
            throw new IllegalArgumentException("Set both username and password, or neither");
        }
        this.credentials = has(c.getUsername()) ? Credentials.of(c.getUsername(), c.getPassword()) : Credentials.NONE;
        this.resumeLoadTimeout = positive("resumeLoadTimeout", c.getResumeLoadTimeout());
    }

    /**
     * Reads and checks the options of a consumer of {@code stream}.
     *
     * @param stopOnFailedExchange whether failedExchangeAction is STOP
     * @throws IllegalArgumentException naming the invalid option
     */
    public static ConsumerSettings of(String stream, ConsumerOptions options, boolean stopOnFailedExchange) {
        return new ConsumerSettings(stream, options, stopOnFailedExchange);
    }

    /** The stream read, or {@code $all}. */
    public String stream() {
        return stream;
    }

    /** Whether the consumer reads {@code $all}. */
    public boolean all() {
        return all;
    }

    /** The configured checkpoint key, or {@code null} for the route id. */
    public String checkpointKey() {
        return checkpointKey;
    }

    /** How long to wait for a resume strategy that loads its positions in the background, in milliseconds. */
    public long resumeLoadTimeout() {
        return resumeLoadTimeout;
    }

    private static SubscriptionPosition parsePosition(String text, boolean all) {
        try {
            return SubscriptionPosition.parse(text, all);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid initialPosition: " + e.getMessage() + " (or end)");
        }
    }

    /** The server-side filter as one regex; prefixes become an anchored alternation (the 5.4.5 client sends one). */
    private static String filterRegex(ConsumerOptions c, boolean excludeSystemEvents) {
        if (has(c.getStreamNamePrefixes())) {
            return prefixRegex("streamNamePrefixes", c.getStreamNamePrefixes());
        }
        if (has(c.getStreamNameRegex())) {
            return checkRegex("streamNameRegex", c.getStreamNameRegex());
        }
        if (has(c.getEventTypePrefixes())) {
            if (excludeSystemEvents) {
                for (String prefix : split(c.getEventTypePrefixes())) {
                    if (prefix.startsWith("$")) {
                        throw new IllegalArgumentException("eventTypePrefixes names system types ('" + prefix
                                + "') while excludeSystemEvents is true: set excludeSystemEvents=false");
                    }
                }
            }
            return prefixRegex("eventTypePrefixes", c.getEventTypePrefixes());
        }
        if (has(c.getEventTypeRegex())) {
            String regex = checkRegex("eventTypeRegex", c.getEventTypeRegex());
            return excludeSystemEvents ? "^(?!\\$).*?(?:" + regex + ")" : regex;
        }
        // no filter asked for: all of $all, less system events unless they are wanted
        return excludeSystemEvents ? "^[^\\$]" : null;
    }

    /** The filter for one subscription, reporting the server's checkpoints to {@code checkpointer}. */
    SubscriptionFilter buildFilter(Checkpointer checkpointer) {
        if (filterRegex == null) {
            return null;
        }
        SubscriptionFilterBuilder builder = SubscriptionFilter.newBuilder()
                .withMaxWindow(checkpointWindow)
                .withCheckpointer(checkpointer, checkpointIntervalMultiplier);
        return (filterOnStreamName
                        ? builder.withStreamNameRegularExpression(filterRegex)
                        : builder.withEventTypeRegularExpression(filterRegex))
                .build();
    }

    /** Events read between two server checkpoints of a filtered subscription. */
    int checkpointInterval() {
        return checkpointWindow * checkpointIntervalMultiplier;
    }

    /** {@code a,b} becomes {@code ^(?:a|b)} with the prefixes escaped: a real prefix match on the server. */
    public static String prefixRegex(String option, String prefixes) {
        List<String> escaped = new ArrayList<>();
        for (String prefix : split(prefixes)) {
            StringBuilder s = new StringBuilder();
            for (char ch : prefix.toCharArray()) {
                if (REGEX_SPECIALS.indexOf(ch) >= 0) {
                    s.append('\\');
                }
                s.append(ch);
            }
            escaped.add(s.toString());
        }
        if (escaped.isEmpty()) {
            throw new IllegalArgumentException(option + " holds no prefix");
        }
        return "^(?:" + String.join("|", escaped) + ")";
    }

    private static List<String> split(String list) {
        List<String> parts = new ArrayList<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.trim());
            }
        }
        return parts;
    }

    private static String checkRegex(String option, String regex) {
        try {
            Pattern.compile(regex);
            return regex;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    option + " is not a valid regular expression: " + e.getDescription() + " in '" + regex + "'");
        }
    }

    private static boolean has(String value) {
        return value != null && !value.isBlank();
    }

    private static int positive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be greater than 0, got " + value);
        }
        return value;
    }

    private static long positive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be greater than 0, got " + value);
        }
        return value;
    }

    /** A zero value has a meaning of its own, {@code zeroMeans}. */
    private static long notNegative(String option, long value, String zeroMeans) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must be 0 (" + zeroMeans + ") or more, got " + value);
        }
        return value;
    }

    /** The doubling backoff from an initial to a maximum delay, both checked. */
    private static BackOff doubling(String initialOption, long initial, String maxOption, long max) {
        positive(initialOption, initial);
        if (max < initial) {
            throw new IllegalArgumentException(
                    maxOption + " must not be below its initial delay (" + initial + " ms), got " + max);
        }
        return Delays.doubling(initial, max);
    }
}
