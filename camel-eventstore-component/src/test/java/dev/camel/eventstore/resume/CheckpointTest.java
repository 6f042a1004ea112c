package dev.camel.eventstore.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JSON form of a checkpoint, as the checkpoint streams hold it. */
class CheckpointTest {

    @Test
    void writesTheKeyAndThePositionTextAsJson() {
        byte[] json =
                Checkpoint.of("orders", SubscriptionPosition.ofAll(120, 100)).toJson();
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"key\":\"orders\",\"position\":\"120/100\"}");
    }

    @Test
    void keysWithQuotesAndBackslashesSurviveTheRoundTrip() {
        Checkpoint written = Checkpoint.of("a \"quoted\\key\"", SubscriptionPosition.ofRevision(7));
        Checkpoint read = Checkpoint.fromJson(written.toJson());
        assertThat(read).isEqualTo(written);
        assertThat(read.position(false)).isEqualTo(SubscriptionPosition.ofRevision(7));
    }

    @Test
    void readsCheckpointsWithOtherFieldsAndWhitespace() {
        Checkpoint read = Checkpoint.fromJson(
                "{ \"position\" : \"start\", \"key\": \"k\", \"writtenBy\": 2 }".getBytes(StandardCharsets.UTF_8));
        assertThat(read.key()).isEqualTo("k");
        assertThat(read.position(true)).isEqualTo(SubscriptionPosition.START);
    }

    @Test
    void claimsRestateTheStoredPositionOrHoldNoneAndSurviveTheRoundTrip() {
        Checkpoint restated = Checkpoint.claim("orders", SubscriptionPosition.ofRevision(7));
        assertThat(new String(restated.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"key\":\"orders\",\"position\":\"7\",\"claim\":true}");
        assertThat(Checkpoint.fromJson(restated.toJson())).isEqualTo(restated);
        Checkpoint first = Checkpoint.claim("orders", null);
        assertThat(new String(first.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"key\":\"orders\",\"position\":null,\"claim\":true}");
        Checkpoint read = Checkpoint.fromJson(first.toJson());
        assertThat(read.claim()).isTrue();
        assertThat(read.position(false)).isNull();
    }

    @Test
    void dataThatIsNotACheckpointIsRejectedQuotingIt() {
        assertThatThrownBy(() -> Checkpoint.fromJson("{\"key\":\"k\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a checkpoint (no position): {\"key\":\"k\"}");
        assertThatThrownBy(() -> Checkpoint.fromJson("position=1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a checkpoint (not JSON): position=1");
    }
}
