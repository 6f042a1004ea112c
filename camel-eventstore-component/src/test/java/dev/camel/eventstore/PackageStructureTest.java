package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of the component's layout, read from the main sources: no cycles between the packages of
 * dev.camel.eventstore (each reference to a class of another package, imported or written out, is a dependency),
 * no reflection into other libraries, and no special case for the project's own resume strategy.
 */
class PackageStructureTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** A reference to a class of the project: lower-case package segments, then a capitalised name. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.camel\\.eventstore(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    /** A string literal: a logger name is text, not a reference to a class. */
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void noCyclesBetweenPackages() throws IOException {
        Map<String, Set<String>> dependencies = dependencies();
        assertThat(dependencies)
                .as("packages found")
                .containsKeys("dev.camel.eventstore", "dev.camel.eventstore.consumer");
        List<String> cycles = new ArrayList<>();
        for (String from : dependencies.keySet()) {
            for (String to : dependencies.get(from)) {
                if (reaches(dependencies, to, from, new HashSet<>())) {
                    cycles.add(from + " -> " + to);
                }
            }
        }
        assertThat(cycles)
                .as("dependencies that close a cycle, in %s", dependencies)
                .isEmpty();
    }

    @Test
    void theConsumerAndResumePackagesDoNotDependOnThePublicFace() throws IOException {
        Map<String, Set<String>> dependencies = dependencies();
        assertThat(dependencies.get("dev.camel.eventstore.consumer")).doesNotContain("dev.camel.eventstore");
        assertThat(dependencies.get("dev.camel.eventstore.resume")).doesNotContain("dev.camel.eventstore");
        assertThat(dependencies.get("dev.camel.eventstore.client"))
                .as("the client package depends on no other package of the project")
                .isEmpty();
    }

    @Test
    void noReflectionIntoOtherLibraries() throws IOException {
        assertThat(filesContaining("setAccessible")).isEmpty();
    }

    @Test
    void noSpecialCaseForTheProjectsOwnResumeStrategy() throws IOException {
        assertThat(filesContaining("instanceof EventStoreResumeStrategy")).isEmpty();
    }

    /** Package to the project's packages it references. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> dependencies = new TreeMap<>();
        for (Path file : sources()) {
            String source = Files.readString(file);
            Matcher p = PACKAGE.matcher(source);
            assertThat(p.find()).as("package of %s", file).isTrue();
            String from = p.group(1);
            Set<String> to = dependencies.computeIfAbsent(from, k -> new TreeSet<>());
            String code = STRING.matcher(source.substring(p.end())).replaceAll("\"\"");
            Matcher r = REFERENCE.matcher(code);
            while (r.find()) {
                if (!r.group(1).equals(from)) {
                    to.add(r.group(1));
                }
            }
        }
        return dependencies;
    }

    private static boolean reaches(Map<String, Set<String>> dependencies, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : dependencies.getOrDefault(from, Set.of())) {
            if (reaches(dependencies, next, to, seen)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> filesContaining(String text) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : sources()) {
            if (Files.readString(file).contains(text)) {
                found.add(MAIN.relativize(file).toString());
            }
        }
        return found;
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> java =
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            assertThat(java).as("main sources under %s", MAIN.toAbsolutePath()).isNotEmpty();
            return java;
        }
    }
}
