package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import java.util.ArrayDeque;

/** A bounded read of one stream, forwards or backwards, honouring {@code $maxCount} and {@code $tb}. */
final class ReadStreamSource implements ResponsePump.Source {
    private final StreamState stream;
    private final LinkResolver links;
    private final boolean forwards;
    private final long first;
    private final long last;
    private long next;
    private long remaining;
    /** Messages that follow the events (stream positions, for clients asking compatibility 1). */
    private final ArrayDeque<ReadResp> trailer = new ArrayDeque<>();

    ReadStreamSource(
            StreamState stream,
            LinkResolver links,
            boolean forwards,
            long startRevision,
            long count,
            boolean sendStreamPositions) {
        this.stream = stream;
        this.links = links;
        this.forwards = forwards;
        this.first = stream.firstVisibleRevision();
        this.last = stream.lastRevision();
        this.remaining = count;
        this.next = forwards ? Math.max(startRevision, first) : Math.min(startRevision, last);
        boolean empty = forwards ? next > last : next < first;
        if (sendStreamPositions) {
            if (forwards && empty && startRevision < first) {
                trailer.add(Responses.firstStreamPosition(first));
            }
            trailer.add(Responses.lastStreamPosition(last));
        }
    }

    @Override
    public Object next() {
        if (remaining > 0 && (forwards ? next <= last : next >= first)) {
            remaining--;
            StoredEvent event = stream.get(forwards ? next++ : next--);
            return links.respond(event);
        }
        remaining = 0;
        return trailer.poll();
    }

    @Override
    public boolean finished() {
        return remaining <= 0 && trailer.isEmpty();
    }
}
