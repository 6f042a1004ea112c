package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.testkit.JavaProcess;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library as an application embedding one connector gets it: a JVM whose class path is the library and its
 * non-optional dependencies (target/non-optional.classpath, written by the build without the optional artifacts and
 * what only they bring) runs {@link EmbeddedConnector}. A logger connector delivers every event there without
 * camel-main, Prometheus, a logging backend or the other sinks, and the templates that need a missing sink say which
 * artifact to add.
 */
class EmbeddingTest extends ConnectorTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aLoggerConnectorDeliversEveryEventWithTheLibrarysOwnDependenciesOnly(@TempDir Path dir) throws Exception {
        server().append("embedded-orders-1", numbered("OrderPlaced", 0, 5));
        try (JavaProcess app = start(dir, "logger")) {
            app.awaitLine(line -> line.equals("delivered {\"n\":4}") || line.startsWith("failed"), WAIT);
            List<String> lines = app.stdout();
            assertThat(lines)
                    .containsAll(EmbeddedConnector.OPTIONAL_CLASSES.stream()
                            .map(name -> "absent " + name)
                            .toList());
            assertThat(lines.stream().filter(line -> line.startsWith("delivered ") || line.startsWith("failed")))
                    .containsExactlyElementsOf(IntStream.range(0, 5)
                            .mapToObj(n -> "delivered {\"n\":" + n + "}")
                            .toList());
        }
    }

    @Test
    void aTemplateWhoseComponentIsMissingNamesTheArtifactToAdd(@TempDir Path dir) throws Exception {
        try (JavaProcess app = start(dir, "missing")) {
            assertThat(app.awaitExit(WAIT)).as(app.stderr()).isZero();
            assertThat(app.stdout().stream().filter(line -> line.startsWith("refused") || line.startsWith("failed")))
                    .containsExactly(
                            "refused: eventstore-kafka-sink needs org.apache.camel:camel-kafka on the class path",
                            "refused: eventstore-http-sink needs org.apache.camel:camel-http on the class path",
                            "refused: checkpointStore=kafka needs org.apache.camel:camel-kafka on the class path");
        }
    }

    /**
     * Runs {@link EmbeddedConnector} as {@code java -jar} of a jar holding only a manifest whose class path is this
     * module's classes and test classes and the non-optional dependencies.
     */
    private static JavaProcess start(Path dir, String mode) throws Exception {
        List<String> classPath = new ArrayList<>();
        classPath.add(Path.of("target", "classes").toAbsolutePath() + File.separator);
        classPath.add(Path.of("target", "test-classes").toAbsolutePath() + File.separator);
        for (String entry : Files.readString(Path.of("target", "non-optional.classpath"))
                .trim()
                .split(File.pathSeparator)) {
            classPath.add(entry);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, EmbeddedConnector.class.getName());
        manifest.getMainAttributes()
                .put(
                        Attributes.Name.CLASS_PATH,
                        classPath.stream()
                                .map(entry -> Path.of(entry).toUri().toString())
                                .collect(Collectors.joining(" ")));
        Path jar = dir.resolve("embedded.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar
        }
        return JavaProcess.startJar(dir, Map.of(), List.of("-Xmx256m"), jar, mode, server().connectionString());
    }
}
