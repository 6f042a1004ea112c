package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.maxCount;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.result;
import static dev.camel.eventstore.testkit.contract.ContractSupport.revisions;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamMetadata;
import com.eventstore.dbclient.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream metadata: a system event in the metastream and in {@code $all}, newest wins, and $maxCount limits reads. */
abstract class MetadataContract extends EventStoreContract {
    @Test
    void metadataIsASystemEventInTheMetastreamAndVisibleInAll() {
        String stream = newStream("meta");
        append(stream, ExpectedRevision.noStream(), json("A"));

        StreamMetadata metadata = maxCount(5L);
        WriteResult written = result(client().setStreamMetadata(stream, metadata));

        assertThat(written.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));
        List<ResolvedEvent> atWrite = readAllForwards(written.getLogPosition(), 1);
        assertThat(atWrite).hasSize(1);
        RecordedEvent event = atWrite.get(0).getEvent();
        assertThat(event.getStreamId()).isEqualTo("$$" + stream);
        assertThat(event.getEventType()).isEqualTo("$metadata");
        assertThat(event.getContentType()).isEqualTo("application/json");
        assertThat(new String(event.getEventData(), StandardCharsets.UTF_8)).contains("\"$maxCount\":5");
        assertThat(result(client().getStreamMetadata(stream)).getMaxCount()).isEqualTo(5L);
    }

    @Test
    void metadataNewestWinsAndTheMetastreamKeepsOnlyIt() {
        String stream = newStream("meta-update");
        append(stream, ExpectedRevision.noStream(), json("A"));
        StreamMetadata first = maxCount(5L);
        StreamMetadata second = maxCount(7L);
        second.setMaxAge(3600L);

        result(client().setStreamMetadata(stream, first));
        WriteResult updated = result(client().setStreamMetadata(stream, second));

        assertThat(updated.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
        StreamMetadata read = result(client().getStreamMetadata(stream));
        assertThat(read.getMaxCount()).isEqualTo(7L);
        assertThat(read.getMaxAge()).isEqualTo(3600L);
        // a metastream is itself limited to its last event ($maxCount 1)
        assertThat(revisions(readStream("$$" + stream, ReadStreamOptions.get())))
                .containsExactly(1L);
    }

    @Test
    void metadataOfAStreamWithoutAnyIsEmpty() {
        StreamMetadata none = result(client().getStreamMetadata(newStream("no-meta")));

        assertThat(none.getMaxCount()).isNull();
        assertThat(none.getMaxAge()).isNull();
        assertThat(none.getTruncateBefore()).isNull();
    }

    @Test
    void metadataMaxCountLimitsWhatReadsReturn() {
        String stream = streamWith("max-count", "e", 5);
        StreamMetadata metadata = maxCount(2L);
        result(client().setStreamMetadata(stream, metadata));

        assertRevisions(stream, ReadStreamOptions.get().forwards(), 3L, 4L);
        assertRevisions(stream, ReadStreamOptions.get().backwards().fromEnd(), 4L, 3L);
        assertRevisions(
                stream, ReadStreamOptions.get().forwards().fromRevision(1).maxCount(1), 3L);

        append(stream, ExpectedRevision.expectedRevision(4), json("e5"));
        assertRevisions(stream, ReadStreamOptions.get().forwards(), 4L, 5L);
    }
}
