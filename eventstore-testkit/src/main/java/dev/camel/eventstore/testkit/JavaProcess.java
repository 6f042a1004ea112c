package dev.camel.eventstore.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A main class running in a fresh JVM with this JVM's classpath, for tests where a separate process is the point:
 * a standalone server, or a process killed with SIGKILL; or a packaged jar run as {@code java -jar}, for the tests
 * of the jars themselves. Standard output is collected line by line; standard error goes to a file.
 */
public final class JavaProcess implements AutoCloseable {
    private final Process process;
    private final Path stderrFile;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean stdoutClosed;

    /** Children still running when this JVM exits (a test JVM ended by System.exit, say) are not left behind. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "java-process-cleanup"));
    }

    private JavaProcess(Process process, Path stderrFile) {
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        this.process = process;
        this.stderrFile = stderrFile;
        this.reader = new Thread(this::readStdout, "java-process-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with the given JVM options and arguments. Test classes and test resources are left
     * off the classpath, so the process configures itself (logging included) as it would from its jar.
     *
     * @param workDir where standard error is written ({@code stderr.txt})
     */
    public static JavaProcess start(Path workDir, List<String> jvmOptions, Class<?> mainClass, String... args) {
        return start(workDir, Map.of(), jvmOptions, mainClass, args);
    }

    /**
     * Starts {@code mainClass} as {@link #start(Path, List, Class, String...)} does, with these environment variables
     * added to (or replacing) the ones this JVM has: for applications configured through their environment.
     *
     * @param workDir where standard error is written ({@code stderr.txt})
     */
    public static JavaProcess start(
            Path workDir,
            Map<String, String> environment,
            List<String> jvmOptions,
            Class<?> mainClass,
            String... args) {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return start(mainClass.getName(), command, workDir, null, environment);
    }

    /**
     * Runs {@code java [jvmOptions] -jar jar [args]}, the documented command of a packaged jar, with the JDK running
     * this JVM. The jar brings its own classpath (its manifest's, or its shaded content): nothing of this JVM's is
     * added. The process runs in {@code workDir}, so relative paths among the arguments ({@code -pl
     * file:connectors.properties}) and the application's own relative defaults resolve there.
     *
     * @param workDir the working directory, where standard error is written too ({@code stderr.txt})
     * @throws IllegalStateException when the jar does not exist (it is built by {@code package})
     */
    public static JavaProcess startJar(
            Path workDir, Map<String, String> environment, List<String> jvmOptions, Path jar, String... args) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: run ./mvnw package first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(List.of(args));
        return start(jar.toString(), command, workDir, workDir, environment);
    }

    private static JavaProcess start(
            String name, List<String> command, Path workDir, Path directory, Map<String, String> environment) {
        Path stderr = workDir.resolve("stderr.txt");
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            return new JavaProcess(builder.start(), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    private void readStdout() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (stdout) {
                    stdout.add(line);
                    stdout.notifyAll();
                }
            }
        } catch (IOException e) {
            stdout.add("<stdout read failed: " + e + ">");
        } finally {
            synchronized (stdout) {
                stdoutClosed = true;
                stdout.notifyAll();
            }
        }
    }

    /**
     * Waits for a line of standard output that matches.
     *
     * @throws IllegalStateException when the process exits first or the time runs out, with its standard error
     */
    public String awaitLine(Predicate<String> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        synchronized (stdout) {
            while (true) {
                for (; checked < stdout.size(); checked++) {
                    if (matching.test(stdout.get(checked))) {
                        return stdout.get(checked);
                    }
                }
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (stdoutClosed) {
                    throw new IllegalStateException(
                            "The process ended its output before printing the expected line; stderr:\n" + stderr());
                }
                if (remaining <= 0) {
                    throw new IllegalStateException(
                            "No matching line within " + timeout + "; stdout: " + stdout + "; stderr:\n" + stderr());
                }
                try {
                    stdout.wait(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    /** Lines printed so far. */
    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    public String stderr() {
        try {
            return Files.exists(stderrFile) ? Files.readString(stderrFile) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, then waits for the exit; returns the exit status. What the process prints while it shuts down is
     * collected too.
     */
    public int terminate(Duration timeout) {
        // Process.destroy() closes this side of the pipes at once, and the lines of a graceful shutdown were lost;
        // the handle only sends the signal
        process.toHandle().destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL, as a crash: no shutdown hook runs. Returns the exit status. */
    public int kill(Duration timeout) {
        process.destroyForcibly();
        return awaitExit(timeout);
    }

    /** Waits for the process to exit by itself; returns the exit status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The process did not exit within " + timeout);
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
