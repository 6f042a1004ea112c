package dev.camel.eventstore.testkit;

import java.util.List;

/** What a fresh real server already has in {@code $all}, so that "exclude system events" is always exercised. */
final class SystemEvents {
    private SystemEvents() {}

    static void seed(EventLog log, String host) {
        try {
            log.append(
                    "$$$scavenges",
                    ExpectedVersion.ANY,
                    List.of(ProposedEvent.json(StoredEvent.METADATA_EVENT_TYPE, "{\"$maxAge\":2592000}")));
            log.append(
                    "$$$stats-" + host + ":2113",
                    ExpectedVersion.ANY,
                    List.of(ProposedEvent.json(StoredEvent.METADATA_EVENT_TYPE, "{\"$maxAge\":86400}")));
        } catch (LogException e) {
            throw new IllegalStateException(e);
        }
    }
}
