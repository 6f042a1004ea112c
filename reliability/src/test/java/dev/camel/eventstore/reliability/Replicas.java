package dev.camel.eventstore.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replicas of the connectors application, each its own JVM with the same connectors and cluster settings, and a
 * watch of which of them is active for a connector: their {@code eventstore_connector_leader} gauges, sampled a few
 * times a second, count the moments where more than one says it is the leader.
 */
final class Replicas implements AutoCloseable {
    private static final Pattern LEADER =
            Pattern.compile("eventstore_connector_leader\\{connector=\"([^\"]+)\"[^}]*} ([0-9.]+)");

    /** One replica: its process, its management port and its id ({@code connectors.cluster.id}). */
    record Replica(String id, int port, ConnectorApp app) {
        /** Whether its gauge says it runs the connector; false when it does not answer. */
        boolean isActive(String connector) {
            Matcher m = LEADER.matcher(Management.get(port, "/observe/metrics"));
            while (m.find()) {
                if (m.group(1).equals(connector)) {
                    return Double.parseDouble(m.group(2)) == 1.0;
                }
            }
            return false;
        }
    }

    private final Path work;
    private final String properties;
    private final String connector;
    private final List<Replica> running = new ArrayList<>();
    private final AtomicInteger launched = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private ScheduledExecutorService watch;

    /**
     * @param properties the connectors and cluster settings every replica shares
     * @param connector the connector whose leadership is watched
     */
    Replicas(Path work, String properties, String connector) {
        this.work = work;
        this.properties = properties;
        this.connector = connector;
    }

    /** Starts one more replica, without waiting for it. */
    synchronized Replica launch() throws IOException {
        int n = launched.incrementAndGet();
        int port = Management.freePort();
        String id = "replica-" + n;
        String own = properties + "camel.management.port=" + port + "\nconnectors.cluster.id=" + id + "\n";
        Replica replica = new Replica(id, port, ConnectorApp.launch(work.resolve(id), own, Map.of()));
        running.add(replica);
        return replica;
    }

    /** The replicas alive. */
    synchronized List<Replica> running() {
        return List.copyOf(running);
    }

    /** The replicas whose gauge says they are active now. */
    List<Replica> active() {
        return running().stream().filter(r -> r.isActive(connector)).toList();
    }

    /** SIGKILLs a replica: no shutdown, no last checkpoint, and its leadership ends only when the service says so. */
    void kill(Replica replica) {
        replica.app().kill();
        keepOutput(replica);
        synchronized (this) {
            running.remove(replica);
        }
    }

    /** Samples the leader gauges every 200 ms until closed. */
    void watchLeadership(ScheduledExecutorService executor) {
        watch = executor;
        executor.scheduleWithFixedDelay(
                () -> {
                    samples.incrementAndGet();
                    if (active().size() > 1) {
                        overlaps.incrementAndGet();
                    }
                },
                0,
                200,
                TimeUnit.MILLISECONDS);
    }

    /** How many samples found more than one active replica, out of how many. */
    int overlaps() {
        return overlaps.get();
    }

    int samples() {
        return samples.get();
    }

    /** SIGTERMs every replica still running, leaving each one's output in {@code <work>/<id>/output.log}. */
    @Override
    public void close() {
        if (watch != null) {
            watch.shutdownNow();
        }
        for (Replica replica : running()) {
            replica.app().terminate();
            keepOutput(replica);
            replica.app().close();
        }
        synchronized (this) {
            running.clear();
        }
    }

    private void keepOutput(Replica replica) {
        try {
            Files.writeString(
                    work.resolve(replica.id()).resolve("output.log"),
                    String.join("\n", replica.app().stdout()) + "\n--- stderr ---\n"
                            + replica.app().stderr());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
