package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.testkit.Standalone;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The one command: runs each benchmark group in a JVM of its own (fixed heap and collector, nothing left over from
 * the previous group), collects their rows and prints the table.
 *
 * <pre>
 * java -jar benchmarks/target/eventstore-benchmarks.jar [--only catchup,kafka] [--events 100000] [--runs 3]
 * </pre>
 */
public final class BenchmarkMain {
    /** Every group JVM: room for 1M 1 KiB events held by the testkit server, and the collector the tests use. */
    static final List<String> GROUP_JVM = List.of("-Xms2g", "-Xmx6g", "-XX:+UseParallelGC");

    private BenchmarkMain() {}

    public static void main(String[] args) throws Exception {
        Standalone.defaultLogging("benchmarks-logback.xml");
        Options options = Standalone.parseOrExit(Options::parse, args, Options.USAGE);
        if (options.help()) {
            System.out.print(Options.USAGE);
            return;
        }
        if (options.group() != null) {
            // a group JVM: rows on standard output, progress on standard error
            for (Row row : runGroup(options.group(), options)) {
                System.out.println(row.encode());
            }
            System.out.flush();
            System.exit(0);
        }
        long start = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String group : options.groups()) {
            Harness.say("== %s", group);
            try {
                rows.addAll(options.inProcess() ? runGroup(group, options) : runChild(group, options));
            } catch (Exception e) {
                Harness.say("group %s failed: %s", group, e);
                failed.add(group);
            }
        }
        Headroom.row(rows).ifPresent(rows::add);
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        System.out.println();
        System.out.println("camel-eventstore benchmarks, " + LocalDateTime.now().truncatedTo(ChronoUnit.MINUTES) + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version"));
        System.out.println(options.describe());
        System.out.println();
        System.out.print(Table.render(rows));
        System.out.println();
        System.out.printf(
                "took %d min %02d s%s%n",
                seconds / 60, seconds % 60, failed.isEmpty() ? "" : "; FAILED groups: " + failed);
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    static List<Row> runGroup(String group, Options o) throws Exception {
        return switch (group) {
            case "catchup" -> CatchUpBenchmark.run(o);
            case "kafka" -> KafkaBenchmark.run(o);
            case "http" -> HttpBenchmark.run(o);
            case "logger" -> LoggerBenchmark.run(o);
            case "latency" -> LatencyBenchmark.run(o);
            case "memory" -> MemoryBenchmark.run(o);
            case "startup" -> StartupBenchmark.run(o);
            case "tuning" -> TuningBenchmark.run(o);
            case "scale" -> ScaleBenchmark.run(o);
            default -> throw new IllegalArgumentException("unknown group " + group);
        };
    }

    /** Runs one group in a child JVM with this JVM's classpath; its progress goes to our standard error. */
    private static List<Row> runChild(String group, Options o) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(GROUP_JVM);
        if (o.jfrDirectory() != null) {
            Files.createDirectories(o.jfrDirectory());
            command.add("-XX:StartFlightRecording=filename=" + o.jfrDirectory().resolve(group + ".jfr")
                    + ",settings=profile");
        }
        command.add("-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile"));
        command.add("-cp");
        command.add(classpath());
        command.add(BenchmarkMain.class.getName());
        command.addAll(o.forGroup(group));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<Row> rows = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(Row.PREFIX)) {
                    rows.add(Row.decode(line));
                } else {
                    System.err.println(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("the " + group + " JVM exited with " + exit);
        }
        return rows;
    }

    /** This JVM's classpath with absolute paths, for child JVMs. */
    static String classpath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }
}
