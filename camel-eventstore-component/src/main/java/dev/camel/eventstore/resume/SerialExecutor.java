package dev.camel.eventstore.resume;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one writer's tasks one at a time and in order, on threads shared with other writers: two writes of a key
 * must never overlap (each expects the revision the previous one left), but a thread per writer is more than a
 * context with hundreds of routes needs. After each task the next one is handed to the shared threads again, so that
 * one writer's queue cannot hold a thread while others wait.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final ScheduledExecutorService threads;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    /** A task of this executor is queued on the shared threads or running. */
    private boolean scheduled;

    private boolean shutdown;
    private ScheduledFuture<?> periodic;

    SerialExecutor(ScheduledExecutorService threads) {
        this.threads = threads;
    }

    /**
     * Runs {@code task} in this executor's order every {@code millis} ms. A run still queued when the next is due is
     * not queued again: a slow store gets one periodic write waiting, not one per interval.
     */
    void every(long millis, Runnable task) {
        AtomicBoolean queued = new AtomicBoolean();
        Runnable run = () -> {
            queued.set(false);
            task.run();
        };
        periodic = threads.scheduleWithFixedDelay(
                () -> {
                    if (queued.compareAndSet(false, true)) {
                        try {
                            execute(run);
                        } catch (RejectedExecutionException e) {
                            // shut down: the writer's final write covers it
                        }
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    /** @throws RejectedExecutionException after {@link #shutdown} */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            queue.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule();
    }

    /** Takes no new tasks and ends the periodic one, then waits up to {@code timeoutMillis} for those queued. */
    synchronized void shutdown(long timeoutMillis) {
        shutdown = true;
        if (periodic != null) {
            periodic.cancel(false);
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            for (long left = timeoutMillis; scheduled && left > 0; left = deadline - System.currentTimeMillis()) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void schedule() {
        try {
            threads.execute(this::runNext);
        } catch (RejectedExecutionException e) {
            // the shared threads are gone (the context stops): the writer's final write on stop covers the queue
            synchronized (this) {
                queue.clear();
                scheduled = false;
                notifyAll();
            }
        }
    }

    private void runNext() {
        Runnable task;
        synchronized (this) {
            task = queue.poll();
        }
        try {
            if (task != null) {
                task.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("A checkpoint task failed: {}", e.toString());
        }
        synchronized (this) {
            if (queue.isEmpty()) {
                scheduled = false;
                notifyAll();
                return;
            }
        }
        schedule();
    }
}
