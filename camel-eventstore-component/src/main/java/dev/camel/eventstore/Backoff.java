package dev.camel.eventstore;

/** Exponential backoff bounded by a maximum: initial, 2 x initial, 4 x initial, ..., max, max, ... */
final class Backoff {
    final long initialMillis;
    final long maxMillis;

    Backoff(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
    }

    /** The delay before attempt {@code attempt} (1 = the first retry). */
    long delay(int attempt) {
        long delay = initialMillis;
        for (int i = 1; i < attempt && delay < maxMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxMillis);
    }
}
