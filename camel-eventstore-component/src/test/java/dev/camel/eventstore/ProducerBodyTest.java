package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.WrongExpectedVersionException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateProducerException;
import org.apache.camel.InvalidPayloadException;
import org.junit.jupiter.api.Test;

/**
 * What the {@code eventstore:} producer appends, read back through the real client: bodies, batches, event type, id,
 * content type and metadata from options and headers, the result headers, and what it rejects.
 */
class ProducerBodyTest extends ProducerTestSupport {
    @Test
    void appendsByteArrayStringAndMarshalledPojoBodies() throws Exception {
        String to = uri(server, stream, "eventType=OrderPlaced");
        template.sendBody(to, "{\"n\":0}".getBytes(StandardCharsets.UTF_8));
        template.sendBody(to, "{\"n\":1}");
        template.sendBody("direct:order", new Order("o-7", 3));

        List<RecordedEvent> events = read(stream);
        assertThat(events).extracting(RecordedEvent::getRevision).containsExactly(0L, 1L);
        assertThat(events).extracting(ProducerTestSupport::text).containsExactly("{\"n\":0}", "{\"n\":1}");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getEventType()).isEqualTo("OrderPlaced");
            assertThat(e.getContentType()).isEqualTo("application/json");
        });
        RecordedEvent order = last(read("orders-json"));
        assertThat(JSON.readTree(order.getEventData())).isEqualTo(JSON.readTree("{\"id\":\"o-7\",\"quantity\":3}"));
        assertThat(order.getEventType()).isEqualTo("OrderPlaced");
    }

    @Test
    void aPojoThatWasNotMarshalledIsRejected() {
        Exchange result = template.send(uri(server, stream, "eventType=OrderPlaced"), e -> e.getMessage()
                .setBody(new Order("o-1", 1)));
        assertThat(result.getException()).isInstanceOf(InvalidPayloadException.class);
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void aListBodyIsAppendedAsOneBatchInOrder() throws Exception {
        List<Object> batch = List.of(
                "{\"n\":0}",
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                EventDataBuilder.json("Special", TestEvents.json(2)).build(),
                "{\"n\":3}");
        Exchange result = template.send(uri(server, stream, "eventType=OrderPlaced"), e -> e.getMessage()
                .setBody(batch));

        assertThat(result.getException()).isNull();
        List<RecordedEvent> events = read(stream);
        assertThat(events).extracting(e -> TestEvents.number(e.getEventData())).containsExactly(0, 1, 2, 3);
        assertThat(events)
                .extracting(RecordedEvent::getEventType)
                .containsExactly("OrderPlaced", "OrderPlaced", "Special", "OrderPlaced");
        assertThat(events).extracting(RecordedEvent::getRevision).containsExactly(0L, 1L, 2L, 3L);
        // one append: the result describes the batch's last event
        assertThat(result.getMessage().getHeader(EventStoreConstants.NEXT_EXPECTED_REVISION))
                .isEqualTo(3L);
        assertThat(result.getMessage().getHeader(EventStoreConstants.COMMIT_POSITION))
                .isEqualTo(last(events).getPosition().getCommitUnsigned());
    }

    @Test
    void aRejectedBatchAppendsNothing() throws Exception {
        template.sendBody(uri(server, stream, "eventType=OrderPlaced"), "{\"n\":0}");
        Exchange result = template.send(
                uri(server, stream, "eventType=OrderPlaced&expectedRevision=no_stream"),
                e -> e.getMessage().setBody(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}")));

        assertThat(result.getException()).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(read(stream)).extracting(ProducerTestSupport::text).containsExactly("{\"n\":0}");
    }

    @Test
    void eventTypeIdContentTypeAndMetadataComeFromOptionsAndHeadersHeadersWinning() throws Exception {
        String to = uri(server, stream, "eventType=FromOption&contentType=application/octet-stream");
        template.sendBody(to, "from options");
        UUID id = UUID.randomUUID();
        template.send(to, e -> {
            e.getMessage().setBody("{\"from\":\"headers\"}");
            e.getMessage().setHeader(EventStoreConstants.EVENT_TYPE, "FromHeader");
            e.getMessage().setHeader(EventStoreConstants.EVENT_ID, id.toString());
            e.getMessage().setHeader(EventStoreConstants.CONTENT_TYPE, "application/json");
            e.getMessage().setHeader(EventStoreConstants.METADATA, "{\"source\":\"test\"}");
        });

        List<RecordedEvent> events = read(stream);
        assertThat(events).hasSize(2);
        RecordedEvent fromOptions = events.get(0);
        assertThat(fromOptions.getEventType()).isEqualTo("FromOption");
        assertThat(fromOptions.getContentType()).isEqualTo("application/octet-stream");
        assertThat(text(fromOptions)).isEqualTo("from options");

        RecordedEvent fromHeaders = events.get(1);
        assertThat(fromHeaders.getEventType()).isEqualTo("FromHeader");
        assertThat(fromHeaders.getEventId()).isEqualTo(id);
        assertThat(fromHeaders.getContentType()).isEqualTo("application/json");
        // the client adds its tracing fields to JSON user metadata; ours are kept
        JsonNode metadata = JSON.readTree(fromHeaders.getUserMetadata());
        assertThat(metadata.path("source").asText()).isEqualTo("test");
    }

    @Test
    void octetStreamEventsKeepArbitraryBytes() throws Exception {
        byte[] binary = {0, (byte) 0xff, (byte) 0xfe, 10, 13, 0, 127, (byte) 0x80};
        byte[] metadata = {1, 2, 3};
        template.send(uri(server, stream, "eventType=Blob&contentType=application/octet-stream"), e -> {
            e.getMessage().setBody(binary);
            e.getMessage().setHeader(EventStoreConstants.METADATA, metadata);
        });

        RecordedEvent event = last(read(stream));
        assertThat(event.getContentType()).isEqualTo("application/octet-stream");
        assertThat(event.getEventData()).isEqualTo(binary);
        assertThat(event.getUserMetadata()).isEqualTo(metadata);
    }

    @Test
    void theStreamHeaderOverridesTheEndpointsStream() throws Exception {
        String other = stream + "-other";
        template.sendBodyAndHeader(
                uri(server, stream, "eventType=Moved"), "{\"n\":5}", EventStoreConstants.STREAM, other);

        assertThat(read(other)).extracting(ProducerTestSupport::text).containsExactly("{\"n\":5}");
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void resultHeadersGiveTheNextExpectedRevisionAndThePosition() throws Exception {
        String to = uri(server, stream, "eventType=OrderPlaced");
        List<Exchange> results = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            String body = "{\"n\":" + n + "}";
            results.add(template.send(to, e -> e.getMessage().setBody(body)));
        }

        List<RecordedEvent> events = read(stream);
        for (int n = 0; n < 3; n++) {
            Exchange result = results.get(n);
            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getHeader(EventStoreConstants.NEXT_EXPECTED_REVISION))
                    .isEqualTo((long) n);
            assertThat(result.getMessage().getHeader(EventStoreConstants.COMMIT_POSITION))
                    .isEqualTo(events.get(n).getPosition().getCommitUnsigned());
            assertThat(result.getMessage().getHeader(EventStoreConstants.PREPARE_POSITION))
                    .isEqualTo(events.get(n).getPosition().getPrepareUnsigned());
        }
        assertThat(results.get(2).getMessage().getHeader(EventStoreConstants.COMMIT_POSITION, Long.class))
                .isGreaterThan(results.get(1).getMessage().getHeader(EventStoreConstants.COMMIT_POSITION, Long.class));
    }

    @Test
    void anEventIdHeaderThatIsNotAUuidIsRejected() {
        Exchange result = template.send(uri(server, stream, "eventType=E"), e -> {
            e.getMessage().setBody("{}");
            e.getMessage().setHeader(EventStoreConstants.EVENT_ID, "not-a-uuid");
        });
        assertThat(result.getException())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(EventStoreConstants.EVENT_ID)
                .hasMessageContaining("not-a-uuid");
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void anEventWithoutTypeIsRejected() {
        Exchange result =
                template.send(uri(server, stream, null), e -> e.getMessage().setBody("{}"));
        assertThat(result.getException())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No event type");
        Exchange batch =
                template.send(uri(server, stream, null), e -> e.getMessage().setBody(List.of("{}")));
        assertThat(batch.getException()).isInstanceOf(IllegalArgumentException.class);
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void anEmptyListIsRejected() {
        Exchange result = template.send(
                uri(server, stream, "eventType=E"), e -> e.getMessage().setBody(List.of()));
        assertThat(result.getException())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty list");
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void aProducerToAllIsRejected() {
        assertThatThrownBy(() -> template.sendBody(uri(server, "$all", "eventType=E"), "{}"))
                .isInstanceOf(FailedToCreateProducerException.class)
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot append to $all");
    }
}
