package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the HTTP sink's receivers saw, across receivers (a receiver closed and a new one started on its port): every
 * request with the event it carried, when it arrived, how it was answered and when. The test decides each answer
 * (and may hold it back) through an {@link Answer}.
 */
final class HttpLedger {
    /** One request: the event ({@code stream@revision}), its commit position, when it arrived and was answered. */
    record Attempt(
            String event, String stream, long revision, long commit, Instant arrived, Instant answered, int status) {
        boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    /** The status to answer a request with; may block to hold the answer back. */
    interface Answer {
        int status(HttpTestReceiver.Request request) throws InterruptedException;
    }

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Map<HttpTestReceiver, Map<Integer, Attempt>> pending = new ConcurrentHashMap<>();

    /** Answers every request of {@code receiver} as {@code answer} says, recording it. */
    void serve(HttpTestReceiver receiver, Answer answer) {
        Map<Integer, Attempt> decided = pending.computeIfAbsent(receiver, r -> new ConcurrentHashMap<>());
        receiver.holdWith(n -> {
            Instant arrived = Instant.now();
            HttpTestReceiver.Request request = receiver.requests().get(n - 1);
            int status = answer.status(request);
            String stream = request.header("esdb-record-stream-id");
            long revision = Long.parseLong(request.header("esdb-record-stream-revision"));
            decided.put(
                    n,
                    new Attempt(
                            stream + "@" + revision,
                            stream,
                            revision,
                            Long.parseLong(request.header("esdb-record-log-position")),
                            arrived,
                            null,
                            status));
        });
        receiver.answerWith(n -> {
            Attempt a = decided.remove(n);
            // recorded before the answer is sent: the sender cannot have seen it before this instant
            attempts.add(new Attempt(
                    a.event(), a.stream(), a.revision(), a.commit(), a.arrived(), Instant.now(), a.status()));
            return a.status();
        });
    }

    /** Every answered request, in the order answered. */
    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    List<Attempt> accepted() {
        return attempts.stream().filter(Attempt::accepted).toList();
    }

    long acceptedCount() {
        return attempts.stream().filter(Attempt::accepted).count();
    }

    /** Distinct events accepted. */
    long distinctAccepted() {
        return accepted().stream().map(Attempt::event).distinct().count();
    }

    /** Accepted requests that repeat an event already accepted. */
    long duplicates() {
        return acceptedCount() - distinctAccepted();
    }

    /** Each stream's accepted revisions, in the order accepted. */
    Map<String, List<Long>> acceptedPerStream() {
        Map<String, List<Long>> perStream = new LinkedHashMap<>();
        for (Attempt a : accepted()) {
            perStream.computeIfAbsent(a.stream(), s -> new ArrayList<>()).add(a.revision());
        }
        return perStream;
    }

    /** The requests of one event, in arrival order. */
    List<Attempt> attemptsOf(String event) {
        return attempts.stream()
                .filter(a -> a.event().equals(event))
                .sorted(Comparator.comparing(Attempt::arrived))
                .toList();
    }

    /**
     * Every stream has all of its {@code perStream} events, in order: no revision accepted before the one before it;
     * a repeat (at-least-once) only of a revision already accepted.
     */
    void assertCompleteAndInOrderPerStream(int streams, long perStream) {
        Map<String, List<Long>> accepted = assertInOrderPerStream();
        assertThat(accepted).hasSize(streams);
        accepted.forEach((stream, revisions) ->
                assertThat(revisions.stream().distinct().count()).as(stream).isEqualTo(perStream));
    }

    /** No revision of a stream accepted before the one before it; a repeat only of a revision already accepted. */
    Map<String, List<Long>> assertInOrderPerStream() {
        Map<String, List<Long>> accepted = acceptedPerStream();
        accepted.forEach((stream, revisions) -> {
            long highest = -1;
            for (long revision : revisions) {
                assertThat(revision)
                        .as("next revision of " + stream + " after " + highest)
                        .isLessThanOrEqualTo(highest + 1);
                highest = Math.max(highest, revision);
            }
        });
        return accepted;
    }

    /**
     * No checkpoint passes an event that was not delivered: when each checkpoint was written, every event at or
     * before its position had been accepted (answered with a success status) by the receiver. Call once every
     * event was accepted.
     */
    void assertNoCheckpointPassedAnUndeliveredEvent(List<CheckpointHistory.Stored> checkpoints) {
        Map<String, Attempt> first = new HashMap<>();
        for (Attempt a : accepted()) {
            first.merge(a.event(), a, (x, y) -> x.answered().isBefore(y.answered()) ? x : y);
        }
        List<Attempt> byPosition = first.values().stream()
                .sorted(Comparator.comparingLong(Attempt::commit))
                .toList();
        // latest[i]: the last first-acceptance among the events up to index i
        Instant[] latest = new Instant[byPosition.size()];
        for (int i = 0; i < byPosition.size(); i++) {
            Instant t = byPosition.get(i).answered();
            latest[i] = i == 0 || t.isAfter(latest[i - 1]) ? t : latest[i - 1];
        }
        for (CheckpointHistory.Stored c : checkpoints) {
            int last = -1;
            for (int i = 0;
                    i < byPosition.size()
                            && byPosition.get(i).commit() <= c.position().commit();
                    i++) {
                last = i;
            }
            if (last < 0) {
                continue;
            }
            Attempt slowest = null;
            for (int i = 0; i <= last; i++) {
                if (byPosition.get(i).answered().equals(latest[last])) {
                    slowest = byPosition.get(i);
                }
            }
            assertThat(latest[last])
                    .as(
                            "checkpoint %s written at %s, after every event up to it was accepted (the last: %s)",
                            c.position(), c.written(), slowest)
                    .isBefore(c.written());
        }
    }
}
