package dev.camel.eventstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/**
 * What every standalone jar run through {@link StandaloneMain} is checked for, whether its main class runs from the
 * class path or its packaged jar runs: one ready line on stdout and nothing else, exit status 2 with the usage on a bad
 * command line, and a clean stop on SIGTERM.
 */
public final class StandaloneProcessChecks {
    /** Generous: a fresh JVM on a busy 2-core machine. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private StandaloneProcessChecks() {}

    /**
     * Waits for the line starting with {@code readyPrefix}, checks it against {@code readyLine} (a regular expression)
     * and returns what follows the prefix.
     */
    public static String awaitReady(JavaProcess process, String readyPrefix, String readyLine) {
        String ready = process.awaitLine(line -> line.startsWith(readyPrefix), TIMEOUT);
        assertThat(ready).matches(readyLine);
        return ready.substring(readyPrefix.length());
    }

    /**
     * SIGTERM: the shutdown hook closes the server, and the process exits with 143 (128 + SIGTERM) having printed
     * nothing but the ready line.
     */
    public static void terminatesCleanly(JavaProcess process, String readyPrefix) {
        assertThat(process.terminate(TIMEOUT)).isEqualTo(143);
        assertThat(process.stdout())
                .as("stdout holds the ready line only")
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith(readyPrefix));
    }

    /**
     * The process, started with a bad command line, exits with status 2, printing the error and the usage to stderr and
     * nothing to stdout. Closes the process.
     */
    public static void exitsWithUsageError(JavaProcess process, String error, String usageStart) {
        try (process) {
            assertThat(process.awaitExit(TIMEOUT)).isEqualTo(Standalone.EXIT_USAGE);
            assertThat(process.stdout()).isEmpty();
            assertThat(process.stderr()).contains("Error: " + error).contains(usageStart);
        }
    }
}
