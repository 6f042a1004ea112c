package dev.camel.eventstore.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.apache.camel.util.backoff.BackOff;
import org.junit.jupiter.api.Test;

/**
 * The reconnect and retry delays, Camel's {@link BackOff}: doubling from the initial delay, then the maximum for good;
 * no jitter.
 */
class BackoffTest {
    private static long[] delays(BackOff backoff, int attempts) {
        return IntStream.rangeClosed(1, attempts)
                .mapToLong(a -> Delays.delay(backoff, a))
                .toArray();
    }

    @Test
    void doublesUntilTheCapAndStaysThere() {
        assertThat(delays(Delays.doubling(100, 800), 7)).containsExactly(100, 200, 400, 800, 800, 800, 800);
    }

    @Test
    void aCapBetweenTwoDoublingsIsReachedExactly() {
        // 300, 600, then 1200 would pass the cap: the cap itself, not the doubling, is the next delay
        assertThat(delays(Delays.doubling(300, 1_000), 5)).containsExactly(300, 600, 1_000, 1_000, 1_000);
    }

    @Test
    void equalInitialAndMaximumIsAConstantDelay() {
        assertThat(delays(Delays.doubling(250, 250), 4)).containsExactly(250, 250, 250, 250);
    }

    @Test
    void manyAttemptsNeitherOverflowNorPassTheCap() {
        // the defaults (500 ms .. 30 s) after a day of attempts: doubling stops at the cap instead of overflowing
        BackOff defaults = Delays.doubling(500, 30_000);
        assertThat(Delays.delay(defaults, 100_000)).isEqualTo(30_000);
        assertThat(Delays.delay(defaults, Integer.MAX_VALUE)).isEqualTo(30_000);
        // attempt 0 (no failure yet) and attempt 1 both wait the initial delay
        assertThat(Delays.delay(defaults, 0)).isEqualTo(500);
        assertThat(Delays.delay(defaults, 1)).isEqualTo(500);
    }
}
