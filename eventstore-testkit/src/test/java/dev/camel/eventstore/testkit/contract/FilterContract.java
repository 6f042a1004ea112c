package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.eventually;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.maxCount;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.numbered;
import static dev.camel.eventstore.testkit.contract.ContractSupport.only;
import static dev.camel.eventstore.testkit.contract.ContractSupport.result;
import static dev.camel.eventstore.testkit.contract.ContractSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscriptionFilter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Server-side filters of {@code $all} subscriptions (stream name and event type, prefix and regex, system events), and
 * the checkpoints a filtered subscription receives even while nothing matches.
 */
abstract class FilterContract extends EventStoreContract {
    @Test
    void filterOnStreamNamePrefix() {
        String prefix = "prefix" + unique();
        String other = "other" + unique();
        Position start = startMarker();
        append(prefix + "-a", ExpectedRevision.any(), json("a1"));
        append(other, ExpectedRevision.any(), json("o1"));
        append(prefix + "-b", ExpectedRevision.any(), json("b1"));

        // the 5.4.5 client sends a prefix as an (unanchored) regex
        Recorder recorder = subscribeFiltered(
                start,
                SubscriptionFilter.newBuilder().addStreamNamePrefix(prefix).build(),
                () -> {
                    append(other, ExpectedRevision.any(), json("o2"));
                    append(prefix + "-a", ExpectedRevision.any(), json("a2"));
                });

        // o2 was written before a2: had it matched, it would have arrived first
        assertThat(recorder.eventTypes()).containsExactly("a1", "b1", "a2");
    }

    @Test
    void filterOnStreamNameRegexForSeveralPrefixes() {
        String a = "ra" + unique();
        String b = "rb" + unique();
        String c = "rc" + unique();
        Position start = startMarker();
        append(a + "-1", ExpectedRevision.any(), json("a"));
        append(c + "-1", ExpectedRevision.any(), json("c"));
        append(b + "-1", ExpectedRevision.any(), json("b"));
        append("x-" + a, ExpectedRevision.any(), json("anchored-away"));

        Recorder recorder = subscribeFiltered(
                start,
                SubscriptionFilter.newBuilder()
                        .withStreamNameRegularExpression("^(?:" + a + "|" + b + ")")
                        .build(),
                () -> {
                    append(c + "-2", ExpectedRevision.any(), json("c2"));
                    append(b + "-2", ExpectedRevision.any(), json("b2"));
                });

        assertThat(recorder.eventTypes()).containsExactly("a", "b", "b2");
    }

    @Test
    void filterOnEventTypePrefix() {
        String type = "Type" + unique();
        String stream = newStream("type-prefix");
        Position start = startMarker();
        append(stream, ExpectedRevision.noStream(), json(type + "-x"), json("Other" + unique()), json(type + "-y"));

        Recorder recorder = subscribeFiltered(
                start,
                SubscriptionFilter.newBuilder().addEventTypePrefix(type).build(),
                () -> append(
                        stream, ExpectedRevision.expectedRevision(2), json("Other" + unique()), json(type + "-z")));

        assertThat(recorder.eventTypes()).containsExactly(type + "-x", type + "-y", type + "-z");
        assertThat(recorder.events())
                .extracting(e -> e.getEvent().getStreamId())
                .containsOnly(stream);
    }

    @Test
    void filterOnEventTypeRegex() {
        String a = "TA" + unique();
        String b = "TB" + unique();
        String stream = newStream("type-regex");
        Position start = startMarker();
        append(stream, ExpectedRevision.noStream(), json(a), json("TC" + unique()), json(b), json("x" + a));

        Recorder recorder = subscribeFiltered(
                start,
                SubscriptionFilter.newBuilder()
                        .withEventTypeRegularExpression("^(?:" + a + "|" + b + ")")
                        .build(),
                () -> append(stream, ExpectedRevision.expectedRevision(3), json("TC" + unique()), json(a)));

        assertThat(recorder.eventTypes()).containsExactly(a, b, a);
        assertThat(recorder.revisions()).containsExactly(0L, 2L, 5L);
    }

    @Test
    void filterExcludingSystemEvents() {
        String stream = newStream("no-system");
        Position start = startMarker();
        append(stream, ExpectedRevision.noStream(), json("U1"));
        result(client().setStreamMetadata(stream, maxCount(10L)));
        append(stream, ExpectedRevision.expectedRevision(0), json("U2"));
        Recorder recorder = new Recorder();

        // what "exclude system events" is: a filter on event types that do not start with "$"
        SubscriptionFilter excludeSystemEvents = SubscriptionFilter.newBuilder()
                .withEventTypeRegularExpression("^[^$]")
                .build();
        subscribeToAll(recorder, from(start, excludeSystemEvents));
        eventually()
                .until(() ->
                        recorder.isCaughtUp() && only(recorder.events(), stream).size() == 2);

        assertThat(only(recorder.events(), stream))
                .extracting(RecordedEvent::getEventType)
                .containsExactly("U1", "U2");
        assertThat(recorder.eventTypes()).noneMatch(type -> type.startsWith("$"));
        // while $all does hold the metadata event written in between
        List<ResolvedEvent> unfiltered =
                readAll(ReadAllOptions.get().forwards().fromPosition(start)).getEvents();
        assertThat(unfiltered)
                .extracting(e -> e.getEvent().getStreamId() + "/" + e.getEvent().getEventType())
                .contains("$$" + stream + "/$metadata");
    }

    @ParameterizedTest(name = "window {0} x multiplier {1}, {2} events")
    @CsvSource({"2, 1, 20", "3, 2, 30"})
    void checkpointsArriveEveryWindowTimesMultiplierEventsReadEvenWhenNothingMatches(
            int window, int multiplier, int eventCount) {
        int interval = window * multiplier;
        String stream = newStream("checkpoints");
        Position start = startMarker();
        append(stream, ExpectedRevision.noStream(), numbered("e", eventCount));
        Recorder recorder = new Recorder();

        subscribeToAll(
                recorder,
                from(
                        start,
                        SubscriptionFilter.newBuilder()
                                .withStreamNameRegularExpression("^matches-nothing-" + unique())
                                .withMaxWindow(window)
                                .withCheckpointer(recorder, multiplier)
                                .build()));
        eventually().until(recorder::isCaughtUp);
        List<Recorder.Signal> catchUp = recorder.timeline();
        List<Position> checkpoints = recorder.checkpoints();
        Position sentinel = append(newStream("sentinel"), ExpectedRevision.noStream(), json("sentinel"))
                .getLogPosition();
        long read = readAll(ReadAllOptions.get().forwards().fromPosition(start)).getEvents().stream()
                .filter(e -> e.getEvent().getPosition().compareTo(start) > 0)
                .filter(e -> e.getEvent().getPosition().compareTo(sentinel) < 0)
                .count();

        assertThat(recorder.events()).isEmpty();
        assertThat(read).isGreaterThanOrEqualTo(eventCount);
        assertThat(checkpoints).hasSizeBetween(eventCount / interval, (int) (read / interval) + 2);
        assertThat(checkpoints).isSorted().doesNotHaveDuplicates();
        assertThat(checkpoints).allSatisfy(checkpoint -> {
            assertThat(checkpoint).isGreaterThanOrEqualTo(start);
            assertThat(checkpoint).isLessThan(sentinel);
        });
        // one more when going live, just before caught-up
        assertThat(catchUp.get(catchUp.size() - 1)).isInstanceOf(Recorder.CaughtUp.class);
        assertThat(catchUp.get(catchUp.size() - 2)).isInstanceOf(Recorder.Checkpoint.class);

        // and live: events keep being counted, matched or not
        append(stream, ExpectedRevision.expectedRevision(eventCount - 1), numbered("live", 2 * interval));
        Position lastLive = positions(stream).get(eventCount + 2 * interval - 1);
        eventually().until(() -> recorder.checkpoints().size() > checkpoints.size());
        List<Position> liveCheckpoints = recorder.checkpoints()
                .subList(checkpoints.size(), recorder.checkpoints().size());
        assertThat(liveCheckpoints).allSatisfy(checkpoint -> {
            assertThat(checkpoint).isGreaterThan(checkpoints.get(checkpoints.size() - 1));
            assertThat(checkpoint).isLessThanOrEqualTo(lastLive);
        });
        assertThat(recorder.events()).isEmpty();
    }

    /**
     * Subscribes to {@code $all} after {@code start} through a filter that matches two of the past events, waits for
     * them, then makes the live writes, of which the filter matches one, and waits for it.
     */
    private Recorder subscribeFiltered(Position start, SubscriptionFilter filter, Runnable liveWrites) {
        Recorder recorder = new Recorder();
        subscribeToAll(recorder, from(start, filter));
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 2);
        liveWrites.run();
        eventually().until(() -> recorder.events().size() == 3);
        return recorder;
    }

    private static SubscribeToAllOptions from(Position start, SubscriptionFilter filter) {
        return SubscribeToAllOptions.get().fromPosition(start).filter(filter);
    }
}
