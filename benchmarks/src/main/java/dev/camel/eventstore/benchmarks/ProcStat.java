package dev.camel.eventstore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A /proc stat file (of a process or of one thread): its name and its CPU time, user + system. */
record ProcStat(String name, long cpuNanos) {
    /** USER_HZ is 100 on Linux: the times are in ticks of 10 ms. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** Reads {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat}; null when it is gone. */
    static ProcStat read(Path stat) {
        try {
            String s = Files.readString(stat);
            // the name is in parentheses and may hold spaces and parentheses: the fields follow the last ')'
            int open = s.indexOf('(');
            int close = s.lastIndexOf(')');
            String[] f = s.substring(close + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return new ProcStat(s.substring(open + 1, close), ticks * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A process's CPU time, counting its threads that have ended; 0 when it is gone. */
    static long processCpuNanos(String pid) {
        ProcStat stat = read(Path.of("/proc", pid, "stat"));
        return stat == null ? 0 : stat.cpuNanos();
    }
}
