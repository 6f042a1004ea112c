package dev.camel.eventstore.testkit;

import static dev.camel.eventstore.testkit.StandaloneServerChecks.servesTheRealClientUntilTerminated;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server jar, run as docs/testkit.md documents it ({@code java -jar
 * eventstore-testkit/target/eventstore-testkit-server.jar --port 2113 [--users admin:changeit] [--tls]}, on a free
 * port): what the shade plugin left in or out of the jar serves the real client, in plain text and over TLS.
 */
class EventStoreTestServerJarIT {
    static final Path JAR = Path.of("target", "eventstore-testkit-server.jar");

    @Test
    void servesTheRealClientWithBasicAuth(@TempDir Path temp) throws Exception {
        try (JavaProcess server = start(temp, "--port", "0", "--users", "admin:changeit")) {
            servesTheRealClientUntilTerminated(
                    server,
                    "EventStoreDB testkit server ready: esdb://127\\.0\\.0\\.1:\\d+\\?tls=false"
                            + " \\(Basic auth, users: admin\\)",
                    "admin:changeit");
        }
    }

    /** TLS needs BouncyCastle, whose signature files the shade plugin must leave out. */
    @Test
    void servesTheRealClientOverTls(@TempDir Path temp) throws Exception {
        try (JavaProcess server = start(temp, "--port", "0", "--tls")) {
            servesTheRealClientUntilTerminated(
                    server,
                    "EventStoreDB testkit server ready: esdb://127\\.0\\.0\\.1:\\d+\\?tls=true&tlsCAFile=\\S+server\\.crt",
                    null);
        }
    }

    private static JavaProcess start(Path temp, String... args) {
        return JavaProcess.startJar(temp, Map.of(), List.of("-Xmx256m"), JAR, args);
    }
}
