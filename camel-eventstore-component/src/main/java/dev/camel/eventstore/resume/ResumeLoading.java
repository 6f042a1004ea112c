package dev.camel.eventstore.resume;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.resume.ResumeStrategyConfiguration;
import org.apache.camel.support.resume.Resumables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the stored position of a consumer through any resume strategy, with Camel's API only, and waits for a
 * strategy that loads in the background to have read everything.
 *
 * <p>camel-kafka's {@code SingleNodeKafkaResumeStrategy} returns from {@code loadCache()} at once and reads its
 * topic on another thread; its {@code getAdapter()} waits for the loader's first few polls ({@code
 * maxInitializationRetries}, 500 records each by default), not for the end of the topic: after many writes the
 * adapter would still hold an old offset, and the route would deliver everything after it again. So a marker is
 * then written through the strategy itself (under the consumer's key with {@link
 * EventStoreResumeAdapter#MARKER_SUFFIX}, so it never replaces a stored offset, also in a compacted topic), and the
 * consumer waits until the loader has read it, and with it everything written before it. This holds for a topic of
 * one partition, the usual for this single-node strategy; with several, the marker may land in another partition
 * than the offsets.
 */
public final class ResumeLoading {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeLoading.class);
    /** The services (as their configurations name them) of strategies that load in the background. */
    private static final Set<String> LOADING_IN_BACKGROUND = Set.of("kafka-resume-strategy");

    private ResumeLoading() {}

    /**
     * Loads the position stored for the adapter's key.
     *
     * @param timeoutMillis how long to wait for a strategy that loads in the background to have read everything
     * @return the stored position, or {@code null} when none is stored
     */
    public static SubscriptionPosition load(
            ResumeStrategy strategy, EventStoreResumeAdapter adapter, long timeoutMillis) throws Exception {
        strategy.loadCache();
        // a strategy loading in the background waits here for its first polls
        strategy.getAdapter();
        if (loadsInBackground(strategy)) {
            awaitMarker(strategy, adapter, Duration.ofMillis(timeoutMillis));
        }
        adapter.resume();
        return adapter.getPosition().orElse(null);
    }

    private static boolean loadsInBackground(ResumeStrategy strategy) {
        ResumeStrategyConfiguration configuration = strategy.getResumeStrategyConfiguration();
        return configuration != null && LOADING_IN_BACKGROUND.contains(configuration.resumeStrategyService());
    }

    private static void awaitMarker(ResumeStrategy strategy, EventStoreResumeAdapter adapter, Duration timeout) {
        if (adapter.getKey() == null) {
            return;
        }
        String marker = "marker-" + UUID.randomUUID();
        adapter.expectMarker(marker);
        try {
            strategy.updateLastOffset(Resumables.of(adapter.getKey() + EventStoreResumeAdapter.MARKER_SUFFIX, marker));
            if (!adapter.awaitMarker(timeout.toMillis())) {
                LOG.warn(
                        "{} did not read all its stored offsets within {}; the consumer with key '{}' may resume from"
                                + " an older position and deliver some events again (resumeLoadTimeout)",
                        strategy.getClass().getSimpleName(),
                        timeout,
                        adapter.getKey());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn(
                    "Could not check that {} read all its stored offsets ({}); the consumer may resume from an older"
                            + " position",
                    strategy.getClass().getSimpleName(),
                    e.toString());
        }
    }
}
