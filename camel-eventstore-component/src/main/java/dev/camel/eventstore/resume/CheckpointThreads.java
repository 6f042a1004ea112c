package dev.camel.eventstore.resume;

import dev.camel.eventstore.client.ContextServices;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The threads every checkpoint writer of a CamelContext shares, from Camel's {@code ExecutorServiceManager}: a
 * bounded pool, however many routes the context runs, instead of a thread per writer. Each writer keeps its own
 * order on them ({@link SerialExecutor}).
 */
final class CheckpointThreads extends ServiceSupport {
    /**
     * Writes wait on the network, not on the CPU: a few threads keep writers going while one call waits for a slow
     * server, and bound what hundreds of writers cost.
     */
    static final int POOL_SIZE = 4;

    private final CamelContext context;
    private volatile ScheduledExecutorService pool;

    private CheckpointThreads(CamelContext context) {
        this.context = context;
    }

    /** The context's checkpoint threads, started now if they are not. */
    static ScheduledExecutorService of(CamelContext context) {
        CheckpointThreads threads =
                ContextServices.of(context, CheckpointThreads.class, () -> new CheckpointThreads(context));
        // started again after the context stopped and started
        threads.start();
        return threads.pool;
    }

    @Override
    protected void doStart() {
        pool = context.getExecutorServiceManager().newScheduledThreadPool(this, "EventStoreCheckpoints", POOL_SIZE);
    }

    @Override
    protected void doStop() {
        ScheduledExecutorService p = pool;
        pool = null;
        if (p != null) {
            context.getExecutorServiceManager().shutdownGraceful(p);
        }
    }
}
