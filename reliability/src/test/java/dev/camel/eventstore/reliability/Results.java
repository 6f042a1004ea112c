package dev.camel.eventstore.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a scenario measured, printed and appended to {@code target/reliability-results/<scenario>.txt}: the figures
 * docs/reliability.md reports.
 */
final class Results {
    private static final Path DIRECTORY =
            Path.of(System.getProperty("reliability.results", "target/reliability-results"));

    private Results() {}

    static void record(String scenario, String format, Object... arguments) {
        String line = String.format(format, arguments);
        System.out.println("[" + scenario + "] " + line);
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(
                    DIRECTORY.resolve(scenario + ".txt"),
                    "scale " + Scale.FACTOR + ": " + line + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
