package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.Recorder.Received;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Links ($>) are resolved to their targets only when asked, in a stream and in $all. */
class ConsumerLinksTest extends ConsumerServerTestSupport {
    @Test
    void linksAreResolvedToTheirTargetsOnlyWhenAsked() throws Exception {
        EventStoreDBClient client = client();
        client.appendToStream(
                        "target-1",
                        EventDataBuilder.json("T0", TestEvents.json(0)).build(),
                        EventDataBuilder.json("T1", TestEvents.json(1)).build())
                .get(10, TimeUnit.SECONDS);
        List<RecordedEvent> targets = new ArrayList<>();
        for (ResolvedEvent e : client.readStream("target-1", ReadStreamOptions.get())
                .get(10, TimeUnit.SECONDS)
                .getEvents()) {
            targets.add(e.getOriginalEvent());
        }
        List<UUID> linkIds = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        // the third link dangles: its target does not exist
        List<String> linkData = List.of("1@target-1", "0@target-1", "5@target-1");
        List<Position> linkPositions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            linkPositions.add(client.appendToStream("links-1", link(linkIds.get(i), linkData.get(i)))
                    .get(10, TimeUnit.SECONDS)
                    .getLogPosition());
        }

        Recorder resolved = recording(uri("links-1", "resolveLinkTos=true"), "resolved");
        Recorder raw = startRecording(uri("links-1"), "raw");
        awaitSize(resolved, 3);
        awaitSize(raw, 3);
        assertThat(resolved).hasSize(3);
        assertThat(raw).hasSize(3);

        for (int i = 0; i < 2; i++) {
            Received r = resolved.get(i);
            RecordedEvent target = targets.get(1 - i);
            assertThat(r.body).isEqualTo(target.getEventData());
            assertThat(r.header(EventStoreConstants.EVENT_ID))
                    .isEqualTo(target.getEventId().toString());
            assertThat(r.header(EventStoreConstants.STREAM_ID)).isEqualTo("target-1");
            assertThat(r.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("T" + (1 - i));
            assertThat(r.header(EventStoreConstants.REVISION)).isEqualTo((long) (1 - i));
            assertThat(r.header(EventStoreConstants.LINK_STREAM_ID)).isEqualTo("links-1");
            assertThat(r.header(EventStoreConstants.LINK_REVISION)).isEqualTo((long) i);
            assertThat(r.header(EventStoreConstants.LINK_EVENT_ID))
                    .isEqualTo(linkIds.get(i).toString());
            // positions are the link's: where the subscription stands
            assertThat(r.header(EventStoreConstants.COMMIT_POSITION))
                    .isEqualTo(linkPositions.get(i).getCommitUnsigned());
            assertThat(r.header(EventStoreConstants.POSITION)).isEqualTo(Integer.toString(i));
        }
        // a link whose target does not exist arrives as the link itself
        assertUnresolvedLink(resolved.get(2), 2, linkIds.get(2), linkData.get(2));
        for (int i = 0; i < 3; i++) {
            assertUnresolvedLink(raw.get(i), i, linkIds.get(i), linkData.get(i));
            assertThat(raw.get(i).headers)
                    .doesNotContainKeys(EventStoreConstants.LINK_REVISION, EventStoreConstants.LINK_EVENT_ID);
        }
    }

    @Test
    @WithoutSystemEvents
    void linksInAllAreResolvedWhenSystemEventsAreIncluded() throws Exception {
        append("target-2", 0, 2);
        server.append("links-2", List.of(link(UUID.randomUUID(), "1@target-2")));
        Recorder received =
                startRecording(uri("$all", "resolveLinkTos=true", "excludeSystemEvents=false"), "all-links");
        awaitSize(received, 3);
        assertThat(received).hasSize(3);
        assertThat(received.numbers()).containsExactly(0, 1, 1);
        Received link = received.get(2);
        assertThat(link.header(EventStoreConstants.STREAM_ID)).isEqualTo("target-2");
        assertThat(link.header(EventStoreConstants.REVISION)).isEqualTo(1L);
        assertThat(link.header(EventStoreConstants.EVENT_ID))
                .isEqualTo(received.get(1).header(EventStoreConstants.EVENT_ID));
        assertThat(link.header(EventStoreConstants.LINK_STREAM_ID)).isEqualTo("links-2");
        assertThat(link.header(EventStoreConstants.LINK_REVISION)).isEqualTo(0L);
        // the position is the link's, after the target's
        assertThat((Long) link.header(EventStoreConstants.COMMIT_POSITION))
                .isEqualTo(server.lastPosition())
                .isGreaterThan((Long) received.get(1).header(EventStoreConstants.COMMIT_POSITION));
    }

    /** The link event itself arrived, the {@code revision}-th of links-1, with no link headers. */
    private static void assertUnresolvedLink(Received r, int revision, UUID id, String data) {
        assertThat(r.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("$>");
        assertThat(r.header(EventStoreConstants.STREAM_ID)).isEqualTo("links-1");
        assertThat(r.header(EventStoreConstants.REVISION)).isEqualTo((long) revision);
        assertThat(r.header(EventStoreConstants.EVENT_ID)).isEqualTo(id.toString());
        assertThat(new String((byte[]) r.body, StandardCharsets.UTF_8)).isEqualTo(data);
        assertThat(r.headers).doesNotContainKeys(EventStoreConstants.LINK_STREAM_ID);
    }

    private static EventData link(UUID id, String target) {
        return EventDataBuilder.binary(id, "$>", target.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
