package dev.camel.eventstore.benchmarks;

import java.util.regex.Pattern;

/**
 * Where a thread's CPU time goes in the split of a run's CPU per event, by the thread's name (the names were read
 * from thread dumps of the groups; {@code BENCH_CPU_THREADS=1} prints every thread of every run with its category).
 * The first category whose pattern finds the name wins, so the order matters.
 */
enum ThreadCategory {
    /** The consumer's thread that takes events off the hand-over queue and routes them (the logger's writes too). */
    DISPATCH("dispatch", "- EventStoreConsumer$"),
    /**
     * db-client-java's own threads: gRPC's call executor, which runs the subscription listener (in the baselines,
     * their whole sending path), and the client's connection thread.
     */
    GRPC("grpc", "^grpc-default-executor-|^esdb-client-|^grpc-shared-destroyer"),
    /**
     * Netty's event loops, reading and writing the sockets: grpc-java's client and server share one event loop group
     * ("grpc-default-worker-ELG"), so the client's and the testkit server's I/O cannot be told apart by name.
     */
    NETTY("netty", "^grpc-default-worker-ELG-|^grpc-nio-worker-ELG-"),
    /** The testkit's in-process EventStoreDB server: the threads that read the log and send the responses. */
    SERVER("server", "^eventstore-testkit-|^grpc-default-boss-ELG-"),
    /** KafkaProducer's network thread (batching, sending, baseline B's callbacks); the batched HTTP sink's sender. */
    SENDER("sender", "^kafka-producer-network-thread|- eventstore-http-batch"),
    /** The threads that continue an exchange after its send: camel-kafka's worker pool, java.net.http's workers. */
    COMPLETION("completion", "- KafkaProducer\\[|^HttpClient-\\d+-Worker-"),
    /** Checkpoint writing: the checkpoint stores' thread. */
    CHECKPOINT("checkpoint", "- EventStoreCheckpoints$"),
    /** The HTTP benchmarks' local server (the JDK's HttpServer), answering every request. */
    HTTP_SINK("http sink", "^HTTP-Dispatcher$|^idle-timeout-task$"),
    /** java.net.http's selector (baseline C's socket I/O). */
    HTTP_IO("http i/o", "^HttpClient-\\d+-SelectorManager$"),
    /** The JVM's own: collector, JIT compilers, VM thread, reference handling. */
    VM(
            "gc/jit/vm",
            "^GC Thread|^G1 |^VM |^VM Thread|CompilerThre|^Sweeper|^Service Thread|^Reference Handler|^Finalizer"
                    + "|^Signal Dispatcher|^Common-Cleaner|^Notification Thread|^Monitor Deflation|^Attach Listener"
                    + "|^PGC |^GC "),
    /**
     * The benchmark's own threads: the main thread (creating clients and routes, waiting for the count), this
     * sampler, the admin client creating topics, the reader of the broker's output.
     */
    HARNESS("harness", "^main$|^bench-|^kafka-admin-client-thread|^java-process-|^process reaper"),
    /**
     * Anything else: Camel stopping a route (ShutdownTask), and short-lived unnamed threads ("Thread-N", with no
     * Java frames in a thread dump): most likely CompletableFuture's async tasks, which get a new thread each when
     * the common pool has a parallelism of 1, as on 2 cores.
     */
    OTHER("other", "");

    final String label;
    private final Pattern pattern;

    ThreadCategory(String label, String regex) {
        this.label = label;
        this.pattern = Pattern.compile(regex);
    }

    static ThreadCategory of(String threadName) {
        for (ThreadCategory c : values()) {
            if (c != OTHER && c.pattern.matcher(threadName).find()) {
                return c;
            }
        }
        return OTHER;
    }
}
