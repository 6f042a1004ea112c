package dev.camel.eventstore.resume;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.support.resume.Resumables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a resume strategy that loads its offsets in the background to finish loading.
 *
 * <p>camel-kafka's {@code SingleNodeKafkaResumeStrategy} returns from {@code loadCache()} at once and reads its
 * topic on another thread; a consumer that resumed straight away would start from the beginning. It has no public
 * way to wait, but a private {@code waitForInitialization()} (bounded by its {@code maxInitializationDuration})
 * that its own {@code getAdapter()} uses; this calls that method when the strategy has one.
 *
 * <p>That method only waits for the loader's first few polls ({@code maxInitializationRetries}, 500 records each
 * by default), not for the end of the topic: after many writes the adapter would still hold an old offset, and the
 * route would deliver everything after it again. So once it returns, a marker is written through the strategy
 * itself (under the consumer's key with {@link EventStoreResumeAdapter#MARKER_SUFFIX}, so it never replaces a
 * stored offset, also in a compacted topic), and the consumer waits until the loader has read it, and with it
 * everything written before it. This holds for a topic of one partition, the usual for this single-node
 * strategy; with several, the marker may land in another partition than the offsets.
 */
public final class ResumeLoading {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeLoading.class);
    private static final Duration DEFAULT_MARKER_TIMEOUT = Duration.ofSeconds(30);

    private ResumeLoading() {}

    public static void awaitLoaded(ResumeStrategy strategy, EventStoreResumeAdapter adapter) {
        for (Class<?> type = strategy.getClass(); type != null; type = type.getSuperclass()) {
            Method wait;
            try {
                wait = type.getDeclaredMethod("waitForInitialization");
            } catch (NoSuchMethodException e) {
                continue;
            }
            try {
                wait.setAccessible(true);
                wait.invoke(strategy);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn(
                        "Could not wait for {} to load its offsets ({}); the consumer may not resume from the newest"
                                + " stored position",
                        type.getName(),
                        e.toString());
                return;
            }
            awaitMarker(strategy, adapter);
            return;
        }
    }

    private static void awaitMarker(ResumeStrategy strategy, EventStoreResumeAdapter adapter) {
        if (adapter == null || adapter.getKey() == null) {
            return;
        }
        String marker = "marker-" + UUID.randomUUID();
        Duration timeout = markerTimeout(strategy);
        adapter.expectMarker(marker);
        try {
            strategy.updateLastOffset(Resumables.of(adapter.getKey() + EventStoreResumeAdapter.MARKER_SUFFIX, marker));
            if (!adapter.awaitMarker(timeout.toMillis())) {
                LOG.warn(
                        "{} did not read all its stored offsets within {}; the consumer with key '{}' may resume from"
                                + " an older position and deliver some events again",
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

    /** The strategy configuration's maxInitializationDuration (Kafka's), or 30 s. */
    private static Duration markerTimeout(ResumeStrategy strategy) {
        Object configuration = strategy.getResumeStrategyConfiguration();
        if (configuration != null) {
            try {
                Object duration = configuration
                        .getClass()
                        .getMethod("getMaxInitializationDuration")
                        .invoke(configuration);
                if (duration instanceof Duration d && !d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not a Kafka configuration: the default applies
            }
        }
        return DEFAULT_MARKER_TIMEOUT;
    }
}
