package dev.camel.eventstore.testkit;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * What the standalone jars of the Kafka broker and the ZooKeeper server share: their logging, their command line
 * ({@code --name value} or {@code --name=value} options and {@code --help}), their exit statuses, and their life: one
 * ready line on stdout once the server accepts clients, then running until the process is stopped (Ctrl+C or SIGTERM
 * close the server cleanly).
 *
 * <p>Nothing else goes to stdout: logging goes to stderr, configured by {@value #LOGGING_CONFIGURATION} unless
 * {@code -Dlogback.configurationFile} names another configuration. A bad command line prints a usage error to stderr
 * and exits with status {@value Standalone#EXIT_USAGE}; a server that cannot be built or started exits with status
 * {@value Standalone#EXIT_START_FAILED}.
 */
public final class StandaloneMain {
    /** The Logback configuration of the standalone jars, a resource of this module. */
    public static final String LOGGING_CONFIGURATION = "eventstore-testkit-logback.xml";

    private StandaloneMain() {}

    /**
     * A standalone jar's parsed command line: whether it asks for help, and how to build and start its server.
     *
     * @param <S> the server
     */
    public interface Command<S extends AutoCloseable> {
        /** Whether the command line asked for help. */
        boolean help();

        /** Builds the server as the command line configures it, without starting it. */
        S build();

        /** Starts the server and returns the line announcing that it accepts clients. */
        String start(S server);
    }

    /**
     * The whole life of a standalone jar: sets up its logging (before anything logs), parses the command line, builds
     * the server, starts it, prints the ready line and waits until the process is stopped. A shutdown hook, registered
     * before the start so that a stop request during start-up also stops the server cleanly, closes the server.
     *
     * @param parser the command line to its command; an {@link IllegalArgumentException} is a usage error, printed
     *     with the usage before the process exits with {@value Standalone#EXIT_USAGE}
     * @throws InterruptedException never in practice: the process ends by a signal
     */
    public static <S extends AutoCloseable> void run(
            String[] args, String usage, Function<String[], ? extends Command<S>> parser, String shutdownThreadName)
            throws InterruptedException {
        Standalone.defaultLogging(LOGGING_CONFIGURATION);
        Command<S> command = Standalone.parseOrExit(parser::apply, args, usage);
        if (command.help()) {
            System.out.print(usage);
            return;
        }
        String ready = Standalone.startOrExit(() -> {
            S server = command.build();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server), shutdownThreadName));
            return command.start(server);
        });
        System.out.println(ready);
        System.out.flush();

        // Runs until the process is stopped; the shutdown hook closes the server.
        new CountDownLatch(1).await();
    }

    private static void close(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("Error while stopping: " + e.getMessage());
        }
    }

    /** A parsed command line: options with a value ({@code --name value} or {@code --name=value}) and help. */
    public static final class CommandLine {
        private final Map<String, String> values;
        private final boolean help;

        private CommandLine(Map<String, String> values, boolean help) {
            this.values = values;
            this.help = help;
        }

        /**
         * Parses {@code --help} (or {@code -h}) and the given options, each taking a value as the next argument or
         * after {@code =}; the last of a repeated option counts.
         *
         * @param optionsWithValue the option names, such as {@code --port}
         * @throws IllegalArgumentException for an unknown argument or a missing value, with a message for the user
         */
        public static CommandLine parse(Set<String> optionsWithValue, String... args) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name = arg;
                String value = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                }
                if (name.equals("--help") || name.equals("-h")) {
                    if (value != null) {
                        throw new IllegalArgumentException(name + " takes no value");
                    }
                    help = true;
                } else if (optionsWithValue.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    values.put(name, value);
                } else {
                    throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            return new CommandLine(values, help);
        }

        /** Whether {@code --help} was given. */
        public boolean help() {
            return help;
        }

        /**
         * The option's whole number, or {@code defaultValue} when it was not given.
         *
         * @throws IllegalArgumentException when it is not a whole number from {@code min} to {@code max}
         */
        public int intValue(String name, int defaultValue, int min, int max) {
            String value = values.get(name);
            if (value == null) {
                return defaultValue;
            }
            int parsed;
            try {
                parsed = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(
                        name + " must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        }

        /**
         * The option's directory, or {@code null} when it was not given.
         *
         * @throws IllegalArgumentException when it is empty or not a path
         */
        public Path pathValue(String name) {
            String value = values.get(name);
            if (value == null) {
                return null;
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " needs a directory, got an empty value");
            }
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(name + " needs a directory, got '" + value + "': " + e.getMessage());
            }
        }
    }
}
