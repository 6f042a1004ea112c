package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.eventually;
import static dev.camel.eventstore.testkit.contract.ContractSupport.in;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.link;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Links ({@code $>} events): resolved by reads and subscriptions of a stream and of {@code $all} only when asked. */
abstract class LinkContract extends EventStoreContract {
    @Test
    void linksAreResolvedOnlyWhenAsked() {
        String target = newStream("target");
        String links = newStream("links");
        writeTargetAndLink(target, links, 1);
        RecordedEvent targetEvent =
                recorded(readStream(target, ReadStreamOptions.get())).get(1);

        ResolvedEvent resolved = readStream(links, ReadStreamOptions.get().resolveLinkTos())
                .getEvents()
                .get(0);
        assertThat(resolved.getEvent().getStreamId()).isEqualTo(target);
        assertThat(resolved.getEvent().getRevision()).isEqualTo(1L);
        assertThat(resolved.getEvent().getEventType()).isEqualTo("T1");
        assertThat(resolved.getEvent().getEventId()).isEqualTo(targetEvent.getEventId());
        assertThat(resolved.getEvent().getPosition()).isEqualTo(targetEvent.getPosition());
        assertThat(resolved.getLink()).isNotNull();
        assertThat(resolved.getLink().getStreamId()).isEqualTo(links);
        assertThat(resolved.getLink().getRevision()).isZero();
        assertThat(resolved.getLink().getEventType()).isEqualTo("$>");
        assertThat(new String(resolved.getLink().getEventData(), StandardCharsets.UTF_8))
                .isEqualTo("1@" + target);
        assertThat(resolved.getOriginalEvent()).isSameAs(resolved.getLink());
        // the position is the link's, where it sits in $all
        assertThat(resolved.getPosition().map(Position::getCommitUnsigned))
                .contains(resolved.getLink().getPosition().getCommitUnsigned());

        ResolvedEvent unresolved = readStream(links, ReadStreamOptions.get().notResolveLinkTos())
                .getEvents()
                .get(0);
        assertThat(unresolved.getLink()).isNull();
        assertThat(unresolved.getEvent().getStreamId()).isEqualTo(links);
        assertThat(unresolved.getEvent().getEventType()).isEqualTo("$>");
        assertThat(new String(unresolved.getEvent().getEventData(), StandardCharsets.UTF_8))
                .isEqualTo("1@" + target);
    }

    @Test
    void linkToAMissingEventResolvesToTheLinkAlone() {
        String target = newStream("gone");
        String links = newStream("dangling");
        append(links, ExpectedRevision.noStream(), link(5, target));

        ResolvedEvent dangling = readStream(links, ReadStreamOptions.get().resolveLinkTos())
                .getEvents()
                .get(0);

        assertThat(dangling.getEvent()).isNull();
        assertThat(dangling.getLink().getEventType()).isEqualTo("$>");
        assertThat(dangling.getOriginalEvent().getStreamId()).isEqualTo(links);
    }

    @Test
    void linksAreResolvedBySubscriptionsWhenAsked() {
        String target = newStream("sub-target");
        String links = newStream("sub-links");
        writeTargetAndLink(target, links, 0);
        Recorder resolving = subscribed(links, SubscribeToStreamOptions.get().resolveLinkTos());
        Recorder raw = subscribed(links, SubscribeToStreamOptions.get().notResolveLinkTos());
        append(links, ExpectedRevision.expectedRevision(0), link(1, target));
        eventually().until(() -> resolving.events().size() == 2 && raw.events().size() == 2);

        assertThat(resolving.events())
                .extracting(e -> e.getEvent().getEventType())
                .containsExactly("T0", "T1");
        assertThat(resolving.events())
                .extracting(e -> e.getLink().getStreamId())
                .containsOnly(links);
        assertThat(raw.events()).extracting(e -> e.getEvent().getEventType()).containsExactly("$>", "$>");
        assertThat(raw.events()).extracting(ResolvedEvent::getLink).containsOnlyNulls();
    }

    @Test
    void linksInAllAreResolvedByReadsAndSubscriptionsWhenAsked() {
        String target = newStream("all-target");
        String links = newStream("all-links");
        Position from = startMarker();
        writeTargetAndLink(target, links, 1);
        RecordedEvent targetEvent =
                recorded(readStream(target, ReadStreamOptions.get())).get(1);
        RecordedEvent linkEvent =
                recorded(readStream(links, ReadStreamOptions.get())).get(0);

        List<ResolvedEvent> resolvedRead =
                readAll(ReadAllOptions.get().forwards().fromPosition(from).resolveLinkTos()).getEvents().stream()
                        .filter(in(links))
                        .toList();
        List<ResolvedEvent> rawRead =
                readAll(ReadAllOptions.get().forwards().fromPosition(from).notResolveLinkTos()).getEvents().stream()
                        .filter(in(links))
                        .toList();
        Recorder resolving = subscribedToAll(
                links, SubscribeToAllOptions.get().fromPosition(from).resolveLinkTos());
        eventually().until(() -> resolving.events().size() == 1);

        for (ResolvedEvent resolved :
                List.of(resolvedRead.get(0), resolving.events().get(0))) {
            assertThat(resolved.getEvent().getStreamId()).isEqualTo(target);
            assertThat(resolved.getEvent().getEventType()).isEqualTo("T1");
            assertThat(resolved.getEvent().getEventId()).isEqualTo(targetEvent.getEventId());
            assertThat(resolved.getLink().getStreamId()).isEqualTo(links);
            assertThat(resolved.getLink().getEventId()).isEqualTo(linkEvent.getEventId());
            // $all is ordered by the link's position, not the target's
            assertThat(resolved.getPosition().map(Position::getCommitUnsigned))
                    .contains(linkEvent.getPosition().getCommitUnsigned());
        }
        assertThat(resolvedRead).hasSize(1);
        assertThat(rawRead).hasSize(1);
        assertThat(rawRead.get(0).getLink()).isNull();
        assertThat(rawRead.get(0).getEvent().getEventType()).isEqualTo("$>");
    }

    /** Writes T0 and T1 to {@code target}, then to {@code links} one link to the target's event at {@code revision}. */
    private void writeTargetAndLink(String target, String links, long revision) {
        append(target, ExpectedRevision.noStream(), json("T0"), json("T1"));
        append(links, ExpectedRevision.noStream(), link(revision, target));
    }
}
