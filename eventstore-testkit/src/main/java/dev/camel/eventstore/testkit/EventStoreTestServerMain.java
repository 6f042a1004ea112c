package dev.camel.eventstore.testkit;

import java.util.concurrent.CountDownLatch;

/**
 * The standalone server:
 *
 * <pre>
 * java -jar eventstore-testkit/target/eventstore-testkit-server.jar --port 2113 [--users admin:changeit] [--tls]
 *     [--data-dir target/esdb-data]
 * </pre>
 *
 * <p>Prints one ready line with the connection string (without passwords) on standard output and runs until
 * killed.
 */
public final class EventStoreTestServerMain {
    private static final String USAGE =
            """
            Usage: java -jar eventstore-testkit-server.jar [options]
              --port <n>             port to listen on (default 2113; 0 picks a free one)
              --host <address>       address to listen on (default 127.0.0.1)
              --users <u:p>[,<u:p>]  enable Basic authentication with these users
              --tls                  serve TLS with a generated self-signed certificate
              --max-append-size <n>  largest append in bytes (default 1048576)
              --no-system-events     start with an empty $all
              --data-dir <dir>       keep the events in <dir> too, so that the next run starts with them
            A server for tests and demos, in memory unless --data-dir is given. Never use it in production.""";

    private EventStoreTestServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Standalone.defaultLogging(StandaloneMain.LOGGING_CONFIGURATION);
        EventStoreTestServer.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(Standalone.EXIT_USAGE);
            return;
        }
        if (builder == null) {
            System.out.println(USAGE);
            return;
        }
        EventStoreTestServer server =
                Standalone.startOrExit(() -> builder.build().start());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "eventstore-testkit-shutdown"));
        System.out.println("EventStoreDB testkit server ready: " + server.connectionString(null, null)
                + (server.users().isEmpty() ? "" : " (Basic auth, users: " + String.join(",", server.users()) + ")"));
        System.out.flush();
        stopped.await();
    }

    /** @return the builder, or {@code null} when help was asked for */
    static EventStoreTestServer.Builder parse(String[] args) {
        EventStoreTestServer.Builder builder = EventStoreTestServer.builder().port(2113);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--port" -> builder.port(intValue(arg, value(args, ++i, arg), 0, 65535));
                case "--host" -> builder.host(value(args, ++i, arg));
                case "--tls" -> builder.tls(true);
                case "--data-dir" -> builder.dataDirectory(java.nio.file.Path.of(value(args, ++i, arg)));
                case "--no-system-events" -> builder.seedSystemEvents(false);
                case "--max-append-size" ->
                    builder.maxAppendSize(intValue(arg, value(args, ++i, arg), 1, Integer.MAX_VALUE));
                case "--users" -> {
                    for (String user : value(args, ++i, arg).split(",")) {
                        int colon = user.indexOf(':');
                        if (colon <= 0 || colon == user.length() - 1) {
                            throw new IllegalArgumentException(
                                    "--users expects name:password pairs separated by commas");
                        }
                        builder.user(user.substring(0, colon), user.substring(colon + 1));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return builder;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int intValue(String option, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a number, got '" + value + "'");
        }
    }
}
