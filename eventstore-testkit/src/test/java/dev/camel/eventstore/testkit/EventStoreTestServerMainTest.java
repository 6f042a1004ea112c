package dev.camel.eventstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTestServerMainTest {
    private static final Duration TIMEOUT = StandaloneServerChecks.TIMEOUT;

    @Test
    void parsesOptions() {
        EventStoreTestServer server = EventStoreTestServerMain.parse(
                        new String[] {"--port", "0", "--users", "admin:changeit,ops:secret", "--no-system-events"})
                .build();
        assertThat(server.users()).containsExactly("admin", "ops");
        assertThat(server.eventCount()).isZero();
        assertThat(EventStoreTestServerMain.parse(new String[] {"--help"})).isNull();
    }

    @Test
    void rejectsBadOptionsNamingThem() {
        assertThatThrownBy(() -> EventStoreTestServerMain.parse(new String[] {"--port", "abc"}))
                .hasMessage("--port expects a number, got 'abc'");
        assertThatThrownBy(() -> EventStoreTestServerMain.parse(new String[] {"--port", "70000"}))
                .hasMessage("--port must be between 0 and 65535");
        assertThatThrownBy(() -> EventStoreTestServerMain.parse(new String[] {"--users", "admin"}))
                .hasMessage("--users expects name:password pairs separated by commas");
        assertThatThrownBy(() -> EventStoreTestServerMain.parse(new String[] {"--tls", "--frobnicate"}))
                .hasMessage("unknown option '--frobnicate'");
        assertThatThrownBy(() -> EventStoreTestServerMain.parse(new String[] {"--port"}))
                .hasMessage("--port needs a value");
    }

    @Test
    void exitsWithStatus2OnABadOption(@TempDir Path temp) {
        try (JavaProcess process =
                JavaProcess.start(temp, List.of("-Xmx256m"), EventStoreTestServerMain.class, "--bogus")) {
            assertThat(process.awaitExit(TIMEOUT)).isEqualTo(2);
            assertThat(process.stderr())
                    .contains("Error: unknown option '--bogus'")
                    .contains("Usage:");
        }
    }

    /** The documented standalone form: one ready line with the connection string, then served until killed. */
    @Test
    void servesTheRealClientUntilTerminated(@TempDir Path temp) throws Exception {
        try (JavaProcess process = JavaProcess.start(
                temp, List.of("-Xmx256m"), EventStoreTestServerMain.class, "--port", "0", "--users", "admin:s3cret")) {
            StandaloneServerChecks.servesTheRealClientUntilTerminated(
                    process,
                    "EventStoreDB testkit server ready: esdb://127\\.0\\.0\\.1:\\d+\\?tls=false"
                            + " \\(Basic auth, users: admin\\)",
                    "admin:s3cret");
        }
    }
}
