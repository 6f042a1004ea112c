package dev.camel.eventstore.resume;

import java.lang.reflect.Method;
import org.apache.camel.resume.ResumeStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a resume strategy that loads its offsets in the background to finish loading.
 *
 * <p>camel-kafka's {@code SingleNodeKafkaResumeStrategy} returns from {@code loadCache()} at once and reads its
 * topic on another thread; a consumer that resumed straight away would start from the beginning. It has no public
 * way to wait, but a private {@code waitForInitialization()} (bounded by its {@code maxInitializationDuration})
 * that its own {@code getAdapter()} uses; this calls that method when the strategy has one.
 */
public final class ResumeLoading {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeLoading.class);

    private ResumeLoading() {}

    public static void awaitLoaded(ResumeStrategy strategy) {
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
                return;
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn(
                        "Could not wait for {} to load its offsets ({}); the consumer may not resume from the newest"
                                + " stored position",
                        type.getName(),
                        e.toString());
                return;
            }
        }
    }
}
