package dev.camel.eventstore.testkit;

import java.util.List;

/** The real server's rules for an expected revision: when a write may go ahead, and when it is a harmless retry. */
final class ExpectedRevisions {
    private ExpectedRevisions() {}

    /**
     * The real server's expected-version check. Its current revision is the last event's even when the stream is
     * soft-deleted: "no stream" is then accepted too (the stream is recreated), "stream exists" is not.
     */
    static void check(StreamState stream, long expected) throws LogException {
        long current = stream.lastRevision();
        boolean satisfied;
        if (expected == ExpectedVersion.ANY) {
            satisfied = true;
        } else if (expected == ExpectedVersion.NO_STREAM) {
            satisfied = current == StreamState.NO_STREAM || stream.isSoftDeleted();
        } else if (expected == ExpectedVersion.STREAM_EXISTS) {
            satisfied = current != StreamState.NO_STREAM && !stream.isSoftDeleted();
        } else {
            satisfied = expected == current;
        }
        if (!satisfied) {
            throw new LogException.WrongExpectedVersion(stream.name, expected, current);
        }
    }

    /**
     * A retried append of events already written (same ids, same place) succeeds without writing them again, as
     * on the real server.
     *
     * @return the result the first append had, or {@code null} when this is no retry
     */
    static EventLog.AppendResult idempotentReplay(StreamState stream, long expected, List<ProposedEvent> events) {
        int n = events.size();
        if (n == 0 || stream.count() < n) {
            return null;
        }
        long first;
        if (expected >= 0) {
            first = expected + 1;
        } else if (expected == ExpectedVersion.NO_STREAM) {
            first = 0;
        } else if (expected == ExpectedVersion.ANY) {
            first = stream.count() - (long) n;
        } else {
            return null;
        }
        if (first < 0 || first + n > stream.count()) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            if (!stream.get(first + i).hasId(events.get(i).id())) {
                return null;
            }
        }
        long last = first + n - 1;
        return new EventLog.AppendResult(last, stream.get(last).position);
    }
}
