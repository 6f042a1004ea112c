package dev.camel.eventstore.testkit;

/**
 * A catch-up subscription to one stream: confirmation, the events after the start revision, caught-up, then live
 * events. A missing stream is waited for; a deleted (tombstoned) stream ends the call with stream-deleted.
 *
 * <p>As on the real server, only the catch-up honours what hides events from reads ({@code $maxCount}, {@code $tb},
 * a soft delete): once live, every new event is delivered. A stream tombstoned while the subscription is live gets
 * its {@code $streamDeleted} record delivered before the error; one tombstoned before (or during catch-up) gets
 * the error alone.
 */
final class StreamSubscriptionSource implements ResponsePump.Source {
    private final EventLog log;
    private final String streamName;
    private final LinkResolver links;
    private boolean confirmed;
    private boolean caughtUp;
    private boolean tombstoneSent;
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
            if (stream.isTombstoned() && !caughtUp) {
                throw Responses.streamDeleted(streamName);
            }
            long count = stream.count();
            if (!caughtUp) {
                // catch-up reads skip what reads cannot see
                long first = stream.readsAsMissing() ? count : stream.firstVisibleRevision();
                nextRevision = Math.max(nextRevision, Math.min(first, count));
            }
            if (nextRevision < count) {
                return links.respond(stream.get(nextRevision++));
            }
            if (stream.isTombstoned()) {
                if (!tombstoneSent) {
                    tombstoneSent = true;
                    return links.respond(stream.tombstoneRecord());
                }
                throw Responses.streamDeleted(streamName);
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
