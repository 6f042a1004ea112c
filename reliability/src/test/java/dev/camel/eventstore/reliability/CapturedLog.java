package dev.camel.eventstore.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every line logged in this JVM (the root logger) while open: what an operator of the connectors would read. */
final class CapturedLog implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLog() {
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
    }

    /** Lines at WARN or above, as "LEVEL logger: message". */
    List<String> warningsAndErrors() {
        List<ILoggingEvent> events;
        synchronized (appender) { // AppenderBase appends under this lock
            events = new ArrayList<>(appender.list);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                lines.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage());
            }
        }
        return lines;
    }

    List<String> errors() {
        return warningsAndErrors().stream().filter(l -> l.startsWith("ERROR")).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
