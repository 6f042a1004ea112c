package dev.camel.eventstore.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 5: the logger connector writing every event (headers and data, as configured by default) to a file
 * through logback's FileAppender with the connectors application's pattern and logback's defaults (each line
 * flushed). A run ends when every event's line is written.
 */
final class LoggerBenchmark {
    /** The connectors application's pattern (eventstore-connectors-logback.xml). */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%logger{30}] %msg%n";

    private LoggerBenchmark() {}

    static List<Row> run(Options o) throws Exception {
        Path directory = Files.createTempDirectory("bench-logger");
        try (EventStoreTestServer server = Events.server()) {
            long seedMillis = Events.seed(server, o.loggerEvents(), o.streams());
            Harness.say(
                    "logger: seeded %,d events in %,d ms; log files in %s", o.loggerEvents(), seedMillis, directory);
            CamelContext context = Connectors.context();
            try {
                String cs = server.connectionString();
                Harness.Interleaved m = Harness.interleaved(
                        o,
                        o.loggerEvents(),
                        List.of("5 logger connector to a file"),
                        List.of(run -> connector(
                                context,
                                cs,
                                directory.resolve("run-" + run + ".log"),
                                o.loggerEvents(),
                                Map.of(),
                                run)));
                return List.of(
                        Row.rate(
                                "5",
                                String.format(
                                        "logger connector -> file (%,d events, default settings: INFO with data)",
                                        o.loggerEvents()),
                                m,
                                0),
                        Row.cpuSplit("5", m, 0));
            } finally {
                context.stop();
            }
        } finally {
            Harness.deleteTree(directory);
        }
    }

    /**
     * One run of the logger connector with its defaults but for its category, which sends its lines to a file of
     * this run's own; {@code settings} are further template parameters (the tuning group's candidates).
     */
    static double connector(
            CamelContext context,
            String connectionString,
            Path file,
            long events,
            Map<String, String> settings,
            int run)
            throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(logging);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(logging);
        appender.setName("bench-" + run);
        appender.setFile(file.toString());
        appender.setAppend(false);
        appender.setEncoder(encoder);
        appender.start();
        String category = "bench.logger.run" + run;
        Logger logger = logging.getLogger(category);
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        try {
            Map<String, String> parameters = new HashMap<>(settings);
            parameters.put("logCategory", category);
            return ConnectorRuns.rate(
                    context,
                    ConnectorTemplates.LOGGER,
                    "logger-" + run,
                    connectionString,
                    parameters,
                    events,
                    Duration.ofMinutes(20));
        } finally {
            logger.detachAppender(appender);
            appender.stop();
            Harness.say("logger: %s holds %,d bytes", file.getFileName(), Files.size(file));
            Files.deleteIfExists(file);
        }
    }
}
