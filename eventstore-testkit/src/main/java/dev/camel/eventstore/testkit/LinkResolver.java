package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;

/** Builds the response for an event, resolving a link ({@code $>}, data {@code revision@stream}) when asked. */
final class LinkResolver {
    private final EventLog log;
    private final boolean resolveLinks;

    LinkResolver(EventLog log, boolean resolveLinks) {
        this.log = log;
        this.resolveLinks = resolveLinks;
    }

    /** The message to send: the stored wire bytes, or a {@link ReadResp} for a resolved link. */
    Object respond(StoredEvent event) {
        if (!resolveLinks || !event.isLink()) {
            return event.wire;
        }
        ReadResp.ReadEvent.Builder resolved =
                ReadResp.ReadEvent.newBuilder().setLink(event.recorded()).setCommitPosition(event.position);
        StoredEvent target = target(event);
        if (target != null) {
            resolved.setEvent(target.recorded());
        }
        // an unresolvable link (target missing or deleted) is sent with its link record only, as the real server
        return ReadResp.newBuilder().setEvent(resolved).build();
    }

    private StoredEvent target(StoredEvent link) {
        String data = link.data().toStringUtf8();
        int at = data.indexOf('@');
        if (at <= 0) {
            return null;
        }
        long revision;
        try {
            revision = Long.parseLong(data.substring(0, at));
        } catch (NumberFormatException e) {
            return null;
        }
        StreamState stream = log.stream(data.substring(at + 1));
        if (stream == null || stream.isTombstoned() || !stream.isVisible(revision)) {
            return null;
        }
        return stream.get(revision);
    }
}
