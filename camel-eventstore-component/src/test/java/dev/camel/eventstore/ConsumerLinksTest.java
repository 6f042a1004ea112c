package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.client;
import static dev.camel.eventstore.ConsumerFaultSupport.recording;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.Recorder.Received;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Links ($>) are resolved to their targets only when asked, in a stream and in $all. */
class ConsumerLinksTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void linksAreResolvedToTheirTargetsOnlyWhenAsked() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            EventStoreDBClient client = client(server);
            try {
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
                UUID link0 = UUID.randomUUID();
                UUID link1 = UUID.randomUUID();
                UUID dangling = UUID.randomUUID();
                List<Position> linkPositions = new ArrayList<>();
                for (EventData link :
                        List.of(link(link0, "1@target-1"), link(link1, "0@target-1"), link(dangling, "5@target-1"))) {
                    linkPositions.add(client.appendToStream("links-1", link)
                            .get(10, TimeUnit.SECONDS)
                            .getLogPosition());
                }

                Recorder resolved = new Recorder();
                Recorder raw = new Recorder();
                context.addRoutes(route(
                        "eventstore:links-1?resolveLinkTos=true&connectionString=" + server.connectionString(),
                        "resolved",
                        resolved));
                context.addRoutes(
                        route("eventstore:links-1?connectionString=" + server.connectionString(), "raw", raw));
                context.start();
                await().atMost(WAIT).until(() -> resolved.size() >= 3 && raw.size() >= 3);
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
                            .isEqualTo((i == 0 ? link0 : link1).toString());
                    // positions are the link's: where the subscription stands
                    assertThat(r.header(EventStoreConstants.COMMIT_POSITION))
                            .isEqualTo(linkPositions.get(i).getCommitUnsigned());
                    assertThat(r.header(EventStoreConstants.POSITION)).isEqualTo(Integer.toString(i));
                }
                // a link whose target does not exist arrives as the link itself
                Received unresolvable = resolved.get(2);
                assertThat(unresolvable.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("$>");
                assertThat(unresolvable.header(EventStoreConstants.EVENT_ID)).isEqualTo(dangling.toString());
                assertThat(unresolvable.header(EventStoreConstants.STREAM_ID)).isEqualTo("links-1");
                assertThat(new String((byte[]) unresolvable.body, StandardCharsets.UTF_8))
                        .isEqualTo("5@target-1");
                assertThat(unresolvable.headers).doesNotContainKeys(EventStoreConstants.LINK_STREAM_ID);

                List<String> linkData = List.of("1@target-1", "0@target-1", "5@target-1");
                List<UUID> linkIds = List.of(link0, link1, dangling);
                for (int i = 0; i < 3; i++) {
                    Received r = raw.get(i);
                    assertThat(r.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("$>");
                    assertThat(r.header(EventStoreConstants.STREAM_ID)).isEqualTo("links-1");
                    assertThat(r.header(EventStoreConstants.REVISION)).isEqualTo((long) i);
                    assertThat(r.header(EventStoreConstants.EVENT_ID))
                            .isEqualTo(linkIds.get(i).toString());
                    assertThat(new String((byte[]) r.body, StandardCharsets.UTF_8))
                            .isEqualTo(linkData.get(i));
                    assertThat(r.headers)
                            .doesNotContainKeys(
                                    EventStoreConstants.LINK_STREAM_ID,
                                    EventStoreConstants.LINK_REVISION,
                                    EventStoreConstants.LINK_EVENT_ID);
                }
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void linksInAllAreResolvedWhenSystemEventsAreIncluded() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .seedSystemEvents(false)
                        .build()
                        .start();
                DefaultCamelContext context = new DefaultCamelContext()) {
            server.append("target-2", TestEvents.numbered("Numbered", 0, 2));
            server.append("links-2", List.of(link(UUID.randomUUID(), "1@target-2")));
            Recorder received = recording(
                    context,
                    "eventstore:$all?resolveLinkTos=true&excludeSystemEvents=false&connectionString="
                            + server.connectionString(),
                    "all-links");
            context.start();
            await().atMost(WAIT).until(() -> received.size() >= 3);
            assertThat(received).hasSize(3);
            assertThat(received)
                    .extracting(r -> TestEvents.number((byte[]) r.body))
                    .containsExactly(0, 1, 1);
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
    }

    private static EventData link(UUID id, String target) {
        return EventDataBuilder.binary(id, "$>", target.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
