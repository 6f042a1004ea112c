package dev.camel.eventstore.testkit.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Captures what one Logback logger and its children log while open. Needs Logback as the SLF4J binding (the testkit
 * leaves it optional: a test suite that captures logs has it).
 */
public class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level level;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** What the logger of that name logs, at the level it is set to. */
    public LogCapture(String loggerName) {
        this(loggerName, null);
    }

    /** What the logger of the class logs, at the level it is set to. */
    public LogCapture(Class<?> loggerOf) {
        this(loggerOf.getName(), null);
    }

    /** With {@code level} set on the logger until closed ({@code null}: leave it). */
    public LogCapture(String loggerName, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.level = level;
        previousLevel = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Everything this JVM logs (the root logger). */
    public static LogCapture root() {
        return new LogCapture(Logger.ROOT_LOGGER_NAME);
    }

    /** What was logged so far, oldest first. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // AppenderBase appends under this lock
            return new ArrayList<>(appender.list);
        }
    }

    /** The messages logged so far, at any level. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The messages logged so far at exactly {@code level}. */
    public List<String> messages(Level level) {
        return events().stream()
                .filter(event -> event.getLevel().equals(level))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** How many messages at exactly {@code level} contain {@code text}. */
    public long count(Level level, String text) {
        return messages(level).stream().filter(m -> m.contains(text)).count();
    }

    /** How many messages, at any level, contain {@code text}. */
    public long count(String text) {
        return messages().stream().filter(m -> m.contains(text)).count();
    }

    /** The events {@code which} accepts, as an operator reads them: {@code LEVEL logger: message}. */
    public List<String> lines(Predicate<ILoggingEvent> which) {
        return events().stream()
                .filter(which)
                .map(event -> event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage())
                .toList();
    }

    /** Stops capturing, and gives the logger back the level it had. */
    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        if (level != null) {
            logger.setLevel(previousLevel);
        }
    }
}
