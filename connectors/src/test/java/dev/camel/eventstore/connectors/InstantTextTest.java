package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The record timestamp's text is exactly what {@link Instant#toString()} gives, whatever the instant. */
class InstantTextTest {

    @Test
    void writesWhatInstantToStringWrites() {
        for (Instant instant : new Instant[] {
            Instant.EPOCH,
            Instant.parse("2026-12-07T04:00:00Z"),
            Instant.parse("2026-12-07T04:05:00.100Z"),
            Instant.parse("2026-01-09T23:59:59.000123Z"),
            Instant.parse("0999-02-03T01:02:03.000000001Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("1969-12-31T23:59:59.5Z")
        }) {
            assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
        }
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(0, 253_402_300_800L);
            int nanos =
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
        }
    }
}
