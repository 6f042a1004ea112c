package dev.camel.eventstore.testkit;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the standalone mains (the testkit server, the Kafka test broker, the benchmarks) do alike: their own logging
 * configuration unless the user brings one, and the exit statuses and messages of a bad command line and of a
 * failed start.
 */
public final class Standalone {
    /** The exit status when the server or broker fails to start. */
    public static final int EXIT_START_FAILED = 1;
    /** The exit status of a bad command line. */
    public static final int EXIT_USAGE = 2;

    private Standalone() {}

    /**
     * Points Logback at {@code configuration}, a class path resource, unless {@code -Dlogback.configurationFile}
     * names another. Call it before anything logs.
     */
    public static void defaultLogging(String configuration) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", configuration);
        }
    }

    /**
     * The parsed command line. When {@code parser} refuses it with an {@link IllegalArgumentException}, prints its
     * message, a blank line and {@code usage} to stderr and exits with {@value #EXIT_USAGE}.
     */
    public static <T> T parseOrExit(Function<String[], T> parser, String[] args, String usage) {
        try {
            return parser.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.err.println();
            System.err.print(usage);
            return exit(EXIT_USAGE);
        }
    }

    /**
     * What a start-up step returns. When it fails with a {@link RuntimeException}, prints its message to stderr and
     * exits with {@value #EXIT_START_FAILED}.
     */
    public static <T> T startOrExit(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            System.err.println("Error: " + e.getMessage());
            return exit(EXIT_START_FAILED);
        }
    }

    private static <T> T exit(int status) {
        System.exit(status);
        throw new IllegalStateException("System.exit(" + status + ") returned");
    }
}
