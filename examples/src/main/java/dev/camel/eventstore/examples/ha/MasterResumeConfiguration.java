package dev.camel.eventstore.examples.ha;

import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.camel.resume.ResumeStrategyConfiguration;
import org.apache.camel.resume.cache.ResumeCache;

/**
 * The configuration an {@link EventStoreResumeStrategy} needs behind a {@code master:} endpoint (a workaround, as of
 * Camel 4.18): {@code .resumable(...)} makes the route set up a resume adapter for its consumer, here the {@code
 * master:} consumer, which gets Camel's default adapter; that one needs a resume cache from the strategy's
 * configuration, and the strategy's own configuration has none, so the route would not start ("No cache was provided
 * in the configuration for the cacheable resume adapter ResumeActionAwareAdapter"). That adapter is never used:
 * once elected, the {@code master:} consumer creates the {@code eventstore:} consumer and hands it the strategy with
 * an adapter of its own, which loads and stores the checkpoint. So a cache that holds nothing will do.
 */
public final class MasterResumeConfiguration extends ResumeStrategyConfiguration {
    public MasterResumeConfiguration() {
        setResumeCache(new NoCache());
    }

    /** The strategy's own service name, as its default configuration gives it. */
    @Override
    public String resumeStrategyService() {
        return EventStoreResumeStrategy.SERVICE;
    }

    /** The strategy for a {@code master:} route: an {@link EventStoreResumeStrategy} with this configuration. */
    public static EventStoreResumeStrategy strategy() {
        EventStoreResumeStrategy strategy = new EventStoreResumeStrategy();
        strategy.setResumeStrategyConfiguration(new MasterResumeConfiguration());
        return strategy;
    }

    /** Keeps nothing: the adapter it is given to is never asked for an offset. */
    private static final class NoCache implements ResumeCache<Object> {
        @Override
        public Object computeIfAbsent(Object key, Function<? super Object, ? super Object> mapping) {
            return null;
        }

        @Override
        public Object computeIfPresent(
                Object key, BiFunction<? super Object, ? super Object, ? super Object> remapping) {
            return null;
        }

        @Override
        public boolean contains(Object key, Object entry) {
            return false;
        }

        @Override
        public void add(Object key, Object offsetValue) {}

        @Override
        public boolean isFull() {
            return false;
        }

        @Override
        public long capacity() {
            return 0;
        }

        @Override
        public <T> T get(Object key, Class<T> clazz) {
            return null;
        }

        @Override
        public Object get(Object key) {
            return null;
        }

        @Override
        public void forEach(BiFunction<? super Object, ? super Object, Boolean> action) {}
    }
}
