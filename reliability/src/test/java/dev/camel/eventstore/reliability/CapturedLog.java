package dev.camel.eventstore.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.camel.eventstore.testkit.support.LogCapture;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every line logged in this JVM (the root logger) while open: what an operator of the connectors would read. Its
 * lines at WARN or above read {@code LEVEL logger: message}.
 */
final class CapturedLog extends LogCapture {
    CapturedLog() {
        super(Logger.ROOT_LOGGER_NAME);
    }

    /** Lines at WARN or above. */
    List<String> warningsAndErrors() {
        return warnings(event -> true);
    }

    List<String> errors() {
        return warnings(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
    }

    /** Lines at WARN or above logged by threads whose name contains {@code thread}. */
    List<String> warningsAndErrorsOfThread(String thread) {
        return warnings(event -> event.getThreadName().contains(thread));
    }

    /** Lines at WARN or above logged by threads whose name contains none of {@code threads}. */
    List<String> warningsAndErrorsOfOtherThreads(String... threads) {
        return warnings(event -> {
            for (String thread : threads) {
                if (event.getThreadName().contains(thread)) {
                    return false;
                }
            }
            return true;
        });
    }

    private List<String> warnings(Predicate<ILoggingEvent> which) {
        return lines(event -> event.getLevel().isGreaterOrEqual(Level.WARN) && which.test(event));
    }
}
