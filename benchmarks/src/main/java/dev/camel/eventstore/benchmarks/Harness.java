package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.EventStoreConsumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;

/** What the benchmarks share: interleaved runs, waiting for counts, progress lines. */
final class Harness {
    private Harness() {}

    /** A variant of a benchmark: one run, returning its rate (events/s). */
    interface Variant {
        double run(int run) throws Exception;
    }

    /**
     * Measured runs of several variants taken in turn: per variant, events/s, CPU time per event (microseconds) and
     * where that CPU time went.
     */
    record Interleaved(double[][] rates, double[][] cpuMicrosPerEvent, CpuSplit[][] cpuSplits) {}

    /** Set (to anything) in the environment, every run prints each thread's CPU time per event. */
    private static final boolean PRINT_THREADS = System.getenv("BENCH_CPU_THREADS") != null;

    /**
     * Runs the variants in turn (A, B, A, B, ...): {@code warmups} rounds that are thrown away, then {@code runs}
     * measured rounds. Machine noise hits the variants alike, so ratios of runs in the same round are fair. Each run
     * also gets the CPU time it took, this JVM's and that of the {@link #accountCpuOf accounted} child processes
     * (the Kafka broker), per event: less sensitive than events/s to other work on the machine.
     */
    static Interleaved interleaved(Options options, long events, List<String> names, List<Variant> variants)
            throws Exception {
        return interleaved(options.warmups(), options.runs(), events, names, variants);
    }

    /** The same with its own number of measured runs. */
    static Interleaved interleaved(int warmups, int runs, long events, List<String> names, List<Variant> variants)
            throws Exception {
        double[][] rates = new double[variants.size()][runs];
        double[][] cpu = new double[variants.size()][runs];
        CpuSplit[][] splits = new CpuSplit[variants.size()][runs];
        for (int round = -warmups; round < runs; round++) {
            for (int v = 0; v < variants.size(); v++) {
                int runNumber = round + warmups;
                long selfBefore = selfCpuNanos();
                long accountedBefore = accountedCpuNanos();
                ThreadCpuSampler sampler = ThreadCpuSampler.start();
                double rate;
                Map<String, Long> threads;
                try {
                    rate = variants.get(v).run(runNumber);
                } finally {
                    threads = sampler.stop();
                }
                CpuSplit split = CpuSplit.of(
                        threads, selfCpuNanos() - selfBefore, accountedCpuNanos() - accountedBefore, events);
                double cpuPerEvent = split.total();
                if (PRINT_THREADS) {
                    CpuSplit.printThreads(names.get(v), threads, events);
                }
                settle();
                say(
                        "%s %s: %,.0f events/s, %.1f us CPU per event",
                        round < 0 ? "warm-up" : "run " + (round + 1), names.get(v), rate, cpuPerEvent);
                if (round >= 0) {
                    rates[v][round] = rate;
                    cpu[v][round] = cpuPerEvent;
                    splits[v][round] = split;
                }
            }
        }
        return new Interleaved(rates, cpu, splits);
    }

    private static final List<Long> ACCOUNTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Counts this process's CPU time in the runs' CPU per event too. */
    static void accountCpuOf(long pid) {
        ACCOUNTED.add(pid);
    }

    static void stopAccounting(long pid) {
        ACCOUNTED.remove(pid);
    }

    /** CPU time (user + system) of this JVM, in ns, from /proc: it counts the threads that have ended. */
    static long selfCpuNanos() {
        return ProcStat.processCpuNanos("self");
    }

    /** CPU time of the accounted processes (the Kafka broker), in ns. */
    static long accountedCpuNanos() {
        long total = 0;
        for (long pid : ACCOUNTED) {
            total += ProcStat.processCpuNanos(Long.toString(pid));
        }
        return total;
    }

    /** Waits until the count reaches {@code target}; returns {@link System#nanoTime()} at that moment. */
    static long awaitCount(LongSupplier count, long target, Duration timeout, String what)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long now = System.nanoTime();
            long c = count.getAsLong();
            if (c >= target) {
                return now;
            }
            if (now > deadline) {
                throw new TimeoutException(what + ": " + c + " of " + target + " after " + timeout);
            }
            // each wake-up costs CPU on the cores the run shares; 1 ms is 0.2% of the shortest runs
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    static double rate(long events, long startNanos, long endNanos) {
        return events * 1e9 / (endNanos - startNanos);
    }

    static EventStoreDBClient client(String connectionString) {
        return EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString));
    }

    static EventStoreConsumer consumer(CamelContext context, String routeId) {
        return (EventStoreConsumer) context.getRoute(routeId).getConsumer();
    }

    /** Stops and removes a route (its checkpoint store writes what is pending). */
    static void removeRoute(CamelContext context, String routeId) throws Exception {
        context.getRouteController().stopRoute(routeId, 30, TimeUnit.SECONDS);
        context.removeRoute(routeId);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory and everything in it. */
    static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A progress line on standard error (standard output carries the rows). */
    static void say(String format, Object... args) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  " + String.format(format, args));
    }

    /** Lets a collector run and the machine settle between runs. */
    static void settle() {
        System.gc();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
