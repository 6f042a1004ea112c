package dev.camel.eventstore.resume;

import com.eventstore.dbclient.ExpectedRevision;
import dev.camel.eventstore.client.ClientFailures;
import dev.camel.eventstore.client.Clients;
import dev.camel.eventstore.position.SubscriptionPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loading a key's checkpoint and claiming its stream (see {@link Checkpoint}): the position to resume from, and the
 * stream revision every later write of this consumer expects, so that the writes of a consumer that claimed the
 * stream before it are refused from now on.
 */
final class CheckpointClaim {
    private static final Logger LOG = LoggerFactory.getLogger(EventStoreResumeStrategy.class);
    /** Claims in a row refused before loading fails: each refusal is a stopping consumer's last write. */
    private static final int ATTEMPTS = 5;

    /** What was loaded: the stored position ({@code null} when none is), and the revision the next write expects. */
    record Claimed(SubscriptionPosition position, ExpectedRevision revision) {}

    private CheckpointClaim() {}

    static Claimed claim(CheckpointStore store, String stream, String key, boolean all) throws Exception {
        CheckpointStore.Stored stored = store.read(stream);
        for (int attempt = 1; ; attempt++) {
            SubscriptionPosition position =
                    stored.checkpoint() == null ? null : stored.checkpoint().position(all);
            try {
                ExpectedRevision claimed = store.write(stream, Checkpoint.claim(key, position), stored.revision());
                if (position == null) {
                    LOG.info("No checkpoint stored for '{}' (stream '{}'); claimed it", key, stream);
                } else {
                    LOG.info("Loaded checkpoint {} of '{}' from stream '{}' and claimed it", position, key, stream);
                }
                return new Claimed(position, claimed);
            } catch (CheckpointTakenOverException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException(
                            "Cannot claim the checkpoint of '" + key + "': " + e.getMessage() + ", " + attempt
                                    + " times in a row",
                            e);
                }
                // a consumer that is stopping wrote its last checkpoint meanwhile: resume after it
                stored = store.read(stream);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // the store reads but does not take writes: deliver anyway, as while writes fail later on; the
                // first checkpoint written, against the revision read, is then the claim
                LOG.warn(
                        "Could not claim the checkpoint of '{}' in stream '{}' ({}); delivery starts from {}, and the"
                                + " first checkpoint written claims it",
                        key,
                        stream,
                        Clients.redact(ClientFailures.unwrap(e).toString()),
                        position == null ? "the initial position" : position);
                return new Claimed(position, stored.revision());
            }
        }
    }
}
