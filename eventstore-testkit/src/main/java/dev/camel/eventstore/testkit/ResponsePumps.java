package dev.camel.eventstore.testkit;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open read and subscription call of one server, with the threads that send their responses: where the fault
 * injection reaches them (drop, end silently, pause and resume delivery).
 */
final class ResponsePumps {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final EventLog log;
    private final ExecutorService executor;
    private final Set<ResponsePump> subscriptions = ConcurrentHashMap.newKeySet();
    private final Set<ResponsePump> reads = ConcurrentHashMap.newKeySet();

    private volatile boolean paused;

    ResponsePumps(EventLog log) {
        this.log = log;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "eventstore-testkit-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sending a call's responses; a subscription is woken up by every append after it. */
    void start(ServerCallStreamObserver<Object> observer, ResponsePump.Source source, boolean subscription) {
        Set<ResponsePump> registry = subscription ? subscriptions : reads;
        ResponsePump[] holder = new ResponsePump[1];
        Runnable wakeUp = () -> holder[0].signal();
        ResponsePump pump = new ResponsePump(observer, source, executor, () -> paused, done -> {
            registry.remove(done);
            if (subscription) {
                log.removeAppendListener(wakeUp);
            }
        });
        holder[0] = pump;
        registry.add(pump);
        if (subscription) {
            log.addAppendListener(wakeUp);
        }
        pump.signal();
    }

    void failSubscriptions(StatusRuntimeException error) {
        subscriptions.forEach(pump -> pump.fail(error));
    }

    void completeSubscriptions() {
        subscriptions.forEach(ResponsePump::complete);
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        subscriptions.forEach(ResponsePump::signal);
        reads.forEach(ResponsePump::signal);
    }

    int activeSubscriptions() {
        return (int) subscriptions.stream().filter(pump -> !pump.isDone()).count();
    }

    /** Forgets every call: the transport that carried them is gone. */
    void clear() {
        subscriptions.clear();
        reads.clear();
    }

    void shutdown() {
        executor.shutdownNow();
    }
}
