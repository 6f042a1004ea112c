package dev.camel.eventstore.reliability;

import dev.camel.eventstore.connectors.app.ConnectorsMain;
import dev.camel.eventstore.testkit.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The connectors application in its own JVM, as users run it ({@code ConnectorsMain} with a properties file and
 * its own logging on standard output): what a SIGKILL, a SIGTERM or a bad setting is tried on.
 */
final class ConnectorApp implements AutoCloseable {
    static final Duration STARTUP = Duration.ofSeconds(60);

    private final JavaProcess process;

    private ConnectorApp(JavaProcess process) {
        this.process = process;
    }

    /** Starts the application with these properties, without waiting for anything. */
    static ConnectorApp launch(Path directory, String properties, Map<String, String> environment) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("connectors.properties");
        Files.writeString(file, properties);
        return new ConnectorApp(JavaProcess.start(
                directory,
                environment,
                List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                ConnectorsMain.class,
                "-pl",
                "file:" + file));
    }

    /** Starts the application and waits until its connectors run. */
    static ConnectorApp start(Path directory, String properties) throws IOException {
        ConnectorApp app = launch(directory, properties, Map.of());
        app.awaitLine("connector(s) running", STARTUP);
        return app;
    }

    String awaitLine(String containing, Duration timeout) {
        return process.awaitLine(line -> line.contains(containing), timeout);
    }

    List<String> stdout() {
        return process.stdout();
    }

    String stderr() {
        return process.stderr();
    }

    /** SIGKILL: no shutdown hook, no last checkpoint. */
    void kill() {
        process.kill(Duration.ofSeconds(30));
    }

    /** SIGTERM, as Ctrl-C or a container stop: Camel stops gracefully and stores the checkpoints. */
    int terminate() {
        return process.terminate(Duration.ofSeconds(60));
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, ...) to the process. */
    void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
        }
    }

    int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }
}
