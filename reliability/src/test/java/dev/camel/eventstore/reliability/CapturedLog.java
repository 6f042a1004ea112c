package dev.camel.eventstore.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
        return lines(event -> true);
    }

    List<String> errors() {
        return lines(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
    }

    /** Lines at WARN or above logged by threads whose name contains {@code thread}. */
    List<String> warningsAndErrorsOfThread(String thread) {
        return lines(event -> event.getThreadName().contains(thread));
    }

    /** Lines at WARN or above logged by threads whose name contains none of {@code threads}. */
    List<String> warningsAndErrorsOfOtherThreads(String... threads) {
        return lines(event -> {
            for (String thread : threads) {
                if (event.getThreadName().contains(thread)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** How many lines, at any level, contain {@code text}. */
    long count(String text) {
        synchronized (appender) {
            return appender.list.stream()
                    .filter(event -> event.getFormattedMessage().contains(text))
                    .count();
        }
    }

    private List<String> lines(Predicate<ILoggingEvent> which) {
        List<ILoggingEvent> events;
        synchronized (appender) { // AppenderBase appends under this lock
            events = new ArrayList<>(appender.list);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN) && which.test(event)) {
                lines.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage());
            }
        }
        return lines;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
