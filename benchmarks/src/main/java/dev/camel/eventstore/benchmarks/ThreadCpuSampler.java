package dev.camel.eventstore.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time each thread of this JVM spent during one run, by thread name. Most threads of a run start and end
 * within it (the client's gRPC threads, the Kafka producer's sender, the consumer's dispatching thread), and the
 * CPU time of a thread that has ended can no longer be read; so a daemon thread samples every thread every {@link
 * #INTERVAL_MILLIS} ms and keeps the last value seen. What an ended thread spent after its last sample (its last
 * moments, when the run's work is done) is lost; {@link CpuSplit} shows it as the difference from the process's own
 * total, which does count ended threads.
 *
 * <p>Java threads are read through ThreadMXBean (their full names; Linux cuts /proc's names to 15 characters, too
 * short to tell Camel's threads apart). The JVM's own threads (collector, JIT compilers, VM thread) are not Java
 * threads: they are read from /proc/self/task, in clock ticks.
 */
final class ThreadCpuSampler {
    static final long INTERVAL_MILLIS = 100;

    /** Linux keeps 15 characters of a thread's name. */
    private static final int PROC_NAME_LENGTH = 15;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Per thread (Java thread id, or -tid for a VM thread): name, CPU at the first sample, CPU at the last one. */
    private final Map<Long, long[]> cpu = new HashMap<>();

    private final Map<Long, String> names = new HashMap<>();
    /** /proc tids that are not VM threads: read once, then skipped. */
    private final Set<Long> notVm = new HashSet<>();

    private final Thread sampler;
    private volatile boolean stopped;
    private boolean first = true;

    private ThreadCpuSampler() {
        sample();
        first = false;
        sampler = new Thread(this::loop, "bench-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    static ThreadCpuSampler start() {
        return new ThreadCpuSampler();
    }

    private void loop() {
        while (!stopped) {
            try {
                TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    /** Stops sampling after a last sample; returns each thread's CPU time in the run, in ns, by name. */
    Map<String, Long> stop() throws InterruptedException {
        stopped = true;
        sampler.interrupt();
        sampler.join();
        sample();
        Map<String, Long> spent = new HashMap<>();
        synchronized (this) {
            cpu.forEach((id, c) -> spent.merge(names.get(id), c[1] - c[0], Long::sum));
        }
        return spent;
    }

    private synchronized void sample() {
        long[] ids = THREADS.getAllThreadIds();
        long[] times = THREADS.getThreadCpuTime(ids);
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        Set<String> javaNames = new HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            if (times[i] >= 0 && infos[i] != null) {
                String name = infos[i].getThreadName();
                note(ids[i], name, times[i]);
                javaNames.add(name.length() > PROC_NAME_LENGTH ? name.substring(0, PROC_NAME_LENGTH) : name);
            }
        }
        sampleVmThreads(javaNames);
    }

    /** A thread first seen after the run's start started during it: all its CPU time counts. */
    private void note(long id, String name, long nanos) {
        names.put(id, name);
        long[] c = cpu.get(id);
        if (c == null) {
            cpu.put(id, new long[] {first ? nanos : 0, nanos});
        } else {
            c[1] = nanos;
        }
    }

    private void sampleVmThreads(Set<String> javaNames) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                long tid = Long.parseLong(task.getFileName().toString());
                if (notVm.contains(tid)) {
                    continue;
                }
                ProcStat stat = ProcStat.read(task.resolve("stat"));
                if (stat == null) {
                    continue; // ended meanwhile
                }
                // a Java thread of the same (cut) name was counted through ThreadMXBean already
                if (isVmThread(stat.name()) && !javaNames.contains(stat.name())) {
                    note(-tid, stat.name(), stat.cpuNanos());
                } else {
                    notVm.add(tid);
                }
            }
        } catch (IOException e) {
            // no /proc: the JVM's own threads stay in the difference from the total
        }
    }

    /**
     * The JVM's threads that ThreadMXBean does not list, by their /proc name: the collector's, the VM thread, and
     * the Java threads it hides (JIT compilers, sweeper, service thread). Not "java": that is the main thread
     * (the launcher does not name it), which ThreadMXBean lists as "main".
     */
    static boolean isVmThread(String procName) {
        return procName.startsWith("GC Thread")
                || procName.startsWith("G1 ")
                || procName.startsWith("VM Thread")
                || procName.startsWith("VM Periodic")
                || procName.startsWith("C1 CompilerThre")
                || procName.startsWith("C2 CompilerThre")
                || procName.startsWith("Sweeper")
                || procName.startsWith("Monitor Deflati")
                || procName.startsWith("Service Thread")
                || procName.startsWith("PGC ");
    }
}
