package dev.camel.eventstore.testkit;

/**
 * A catch-up subscription to one stream: confirmation, the events after the start revision, caught-up, then live
 * events. A missing stream is waited for; a deleted (tombstoned) stream ends the call with stream-deleted.
 */
final class StreamSubscriptionSource implements ResponsePump.Source {
    private final EventLog log;
    private final String streamName;
    private final LinkResolver links;
    private boolean confirmed;
    private boolean caughtUp;
    private long nextRevision;

    /** @param startAfter the exclusive start revision; {@code -1} for the start, {@link Long#MAX_VALUE} for the end */
    StreamSubscriptionSource(EventLog log, String streamName, LinkResolver links, long startAfter) {
        this.log = log;
        this.streamName = streamName;
        this.links = links;
        if (startAfter == Long.MAX_VALUE) {
            StreamState stream = log.stream(streamName);
            nextRevision = stream == null ? 0 : stream.count();
        } else {
            nextRevision = startAfter + 1;
        }
    }

    @Override
    public Object next() {
        if (!confirmed) {
            confirmed = true;
            return Responses.confirmation();
        }
        StreamState stream = log.stream(streamName);
        if (stream != null) {
            if (stream.isTombstoned()) {
                throw Responses.streamDeleted(streamName);
            }
            if (nextRevision < stream.count()) {
                long revision = Math.max(nextRevision, stream.firstVisibleRevision());
                nextRevision = revision + 1;
                if (revision < stream.count()) {
                    return links.respond(stream.get(revision));
                }
            }
        }
        if (!caughtUp) {
            caughtUp = true;
            return Responses.CAUGHT_UP;
        }
        return null;
    }

    @Override
    public boolean finished() {
        return false;
    }
}
