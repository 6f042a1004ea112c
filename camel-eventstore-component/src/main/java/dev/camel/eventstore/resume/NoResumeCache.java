package dev.camel.eventstore.resume;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.camel.resume.cache.ResumeCache;

/**
 * The resume cache of the strategy's default configuration, holding nothing. The strategy keeps positions itself,
 * per adapter; but Camel gives a route's consumer its default, cacheable adapter when that consumer is not the
 * {@code eventstore:} one (a {@code master:} endpoint in front of it), and that adapter refuses to start without a
 * cache. It is never asked for an offset: once elected, the {@code master:} consumer hands the strategy to the
 * {@code eventstore:} consumer, whose own adapter loads and stores the checkpoint.
 */
final class NoResumeCache implements ResumeCache<Object> {
    @Override
    public Object computeIfAbsent(Object key, Function<? super Object, ? super Object> mapping) {
        return null;
    }

    @Override
    public Object computeIfPresent(Object key, BiFunction<? super Object, ? super Object, ? super Object> remapping) {
        return null;
    }

    @Override
    public boolean contains(Object key, Object entry) {
        return false;
    }

    @Override
    public void add(Object key, Object offsetValue) {
        // holds nothing
    }

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
    public void forEach(BiFunction<? super Object, ? super Object, Boolean> action) {
        // holds nothing
    }
}
