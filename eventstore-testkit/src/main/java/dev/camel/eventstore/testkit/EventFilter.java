package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq.Options.FilterOptions;
import java.util.List;
import java.util.regex.Pattern;

/** A server-side {@code $all} filter: a regex or prefix list on the stream name or on the event type. */
final class EventFilter {
    /** The real server's default search window. */
    static final int DEFAULT_WINDOW = 32;

    private final boolean onStreamName;
    private final Pattern regex;
    private final List<String> prefixes;
    /** Events read (matched or not) between two checkpoints. */
    final long checkpointInterval;

    private EventFilter(boolean onStreamName, Pattern regex, List<String> prefixes, long checkpointInterval) {
        this.onStreamName = onStreamName;
        this.regex = regex;
        this.prefixes = prefixes;
        this.checkpointInterval = checkpointInterval;
    }

    static EventFilter from(FilterOptions options) {
        if (options.getCheckpointIntervalMultiplier() == 0) {
            throw io.grpc.Status.INVALID_ARGUMENT
                    .withDescription("checkpointIntervalMultiplier must be greater than 0")
                    .asRuntimeException();
        }
        long window = options.getWindowCase() == FilterOptions.WindowCase.MAX ? options.getMax() : DEFAULT_WINDOW;
        long interval = window * options.getCheckpointIntervalMultiplier();
        FilterOptions.Expression expression;
        boolean onStreamName;
        switch (options.getFilterCase()) {
            case STREAM_IDENTIFIER -> {
                expression = options.getStreamIdentifier();
                onStreamName = true;
            }
            case EVENT_TYPE -> {
                expression = options.getEventType();
                onStreamName = false;
            }
            default ->
                throw io.grpc.Status.INVALID_ARGUMENT
                        .withDescription("'" + options.getFilterCase() + "' is not a valid filter")
                        .asRuntimeException();
        }
        Pattern regex = expression.getRegex().isEmpty() ? null : Pattern.compile(expression.getRegex());
        return new EventFilter(onStreamName, regex, List.copyOf(expression.getPrefixList()), interval);
    }

    boolean test(StoredEvent event) {
        String subject = onStreamName ? event.streamName : event.eventType;
        if (regex != null) {
            // unanchored, as the real server's Regex.IsMatch
            return regex.matcher(subject).find();
        }
        for (String prefix : prefixes) {
            if (subject.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
