package dev.camel.eventstore.consumer;

import java.time.Duration;
import org.apache.camel.util.backoff.BackOff;

/** Camel's {@link BackOff} for the retry and reconnect delays: doubling from the initial delay up to the maximum. */
final class Delays {
    private Delays() {}

    /** Doubling from {@code initialMillis} to {@code maxMillis}, without limit on attempts or time. */
    static BackOff doubling(long initialMillis, long maxMillis) {
        return BackOff.builder()
                .delay(Duration.ofMillis(initialMillis))
                .maxDelay(Duration.ofMillis(maxMillis))
                .multiplier(2.0)
                .build();
    }

    /** The delay before attempt {@code attempt} (1 = the first retry), as Camel's backoff timer computes it. */
    static long delay(BackOff backOff, long attempt) {
        long max = backOff.getMaxDelay().toMillis();
        double delay = backOff.getDelay().toMillis();
        for (long i = 1; i < attempt && delay < max; i++) {
            delay *= backOff.getMultiplier();
        }
        return (long) Math.min(delay, max);
    }

    static long max(BackOff backOff) {
        return backOff.getMaxDelay().toMillis();
    }
}
