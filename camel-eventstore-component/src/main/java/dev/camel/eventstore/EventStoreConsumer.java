package dev.camel.eventstore;

import com.eventstore.dbclient.EventStoreDBClient;
import dev.camel.eventstore.resume.EventStoreResumeAdapter;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.resume.ResumeLoading;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.resume.ResumeAware;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.resume.Resumables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catch-up subscription to {@code $all} or one stream, delivering each event to the route as an exchange, in
 * order, at least once.
 *
 * <p>Three parts share the work: a {@link SubscriptionSupervisor} keeps the subscription alive and hands events to
 * an {@link EventBuffer}; an {@link EventDispatcher} routes them with a bounded number in flight; a {@link
 * CompletionTracker} keeps the processed position, which only covers the contiguous run of completed events and is
 * what the route's resume strategy stores.
 *
 * <p>With a resume strategy ({@code .resumable(...)}), each completed exchange carries the processed position in
 * the {@code CamelOffset} header, which Camel's resume processor hands to the strategy; positions that advance
 * without a successful exchange (server checkpoints, events dead-lettered by the error handler, the last position
 * at stop) are handed to the strategy by the consumer itself.
 */
public class EventStoreConsumer extends DefaultConsumer implements ResumeAware<ResumeStrategy> {
    private static final Logger LOG = LoggerFactory.getLogger(EventStoreConsumer.class);
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final ConsumerSettings settings;
    private final ConsumerStatus status = new ConsumerStatus();
    private final CompletionTracker tracker = new CompletionTracker();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();

    private ResumeStrategy resumeStrategy;
    private EventStoreResumeAdapter resumeAdapter;
    private String checkpointKey;
    private EventBuffer buffer;
    private volatile SubscriptionSupervisor supervisor;
    private EventDispatcher dispatcher;
    private ExecutorService threads;
    private EventStoreConsumerHealthCheck healthCheck;
    private volatile boolean failureReported;

    EventStoreConsumer(EventStoreEndpoint endpoint, Processor processor, ConsumerSettings settings) {
        super(endpoint, processor);
        this.settings = settings;
    }

    @Override
    public EventStoreEndpoint getEndpoint() {
        return (EventStoreEndpoint) super.getEndpoint();
    }

    // ---- resume ----

    @Override
    public void setResumeStrategy(ResumeStrategy resumeStrategy) {
        this.resumeStrategy = resumeStrategy;
        // Camel sets this route's adapter on the strategy right before this call; keep it, as a strategy shared by
        // several routes holds only the last adapter set
        ResumeAdapter adapter = resumeStrategy == null ? null : resumeStrategy.getAdapter();
        if (adapter != null && !(adapter instanceof EventStoreResumeAdapter)) {
            throw new IllegalArgumentException("The resume strategy of the eventstore: consumer has an adapter of type "
                    + adapter.getClass().getName() + ", not " + EventStoreResumeAdapter.class.getName());
        }
        this.resumeAdapter = (EventStoreResumeAdapter) adapter;
    }

    @Override
    public ResumeStrategy getResumeStrategy() {
        return resumeStrategy;
    }

    @Override
    public String adapterFactoryService() {
        return EventStoreResumeAdapter.FACTORY;
    }

    /**
     * Where the first subscription starts: the stored position if the resume strategy has one, else the configured
     * start position ("end" becomes the current head of the log, so that it can be checkpointed).
     */
    SubscriptionPosition initialPosition(EventStoreDBClient client) throws Exception {
        if (resumeStrategy != null && resumeAdapter != null) {
            if (resumeStrategy instanceof EventStoreResumeStrategy own) {
                own.load(resumeAdapter);
            } else {
                resumeStrategy.loadCache();
                ResumeLoading.awaitLoaded(resumeStrategy, resumeAdapter);
            }
            resumeAdapter.resume();
            if (resumeAdapter.getPosition().isPresent()) {
                SubscriptionPosition stored = resumeAdapter.getPosition().get();
                LOG.info("{} resumes after its stored position {} (key '{}')", describe(), stored, checkpointKey);
                return stored;
            }
        }
        SubscriptionPosition start =
                settings.startAtEnd ? LogHead.position(client, settings) : settings.initialPosition;
        LOG.info(
                "{} starts after {} ({}; no stored position)",
                describe(),
                start,
                settings.startAtEnd ? "the end of the log" : "initialPosition");
        return start;
    }

    /** Hands a position that moved without a successful exchange to the resume strategy. */
    void recordDirectly(SubscriptionPosition moved) {
        if (moved != null && resumeStrategy != null) {
            try {
                resumeStrategy.updateLastOffset(resumable(moved));
            } catch (Exception e) {
                LOG.warn("The resume strategy could not record position {} of {}: {}", moved, describe(), e.toString());
            }
        }
    }

    private org.apache.camel.resume.Resumable resumable(SubscriptionPosition position) {
        return Resumables.of(checkpointKey, position.toString());
    }

    // ---- exchanges ----

    Exchange newExchange(Delivery delivery, CompletionTracker.Entry entry, int attempt) {
        Exchange exchange = createExchange(false);
        EventExchanges.populate(exchange, delivery.event(), delivery.position());
        exchange.getMessage().setHeader(EventStoreConstants.DELIVERY_ATTEMPT, attempt);
        exchange.getExchangeExtension().addOnCompletion(new PositionRecorder(entry));
        return exchange;
    }

    /**
     * Moves the processed position when an exchange completes, before Camel's resume processor looks for the
     * position to store (it runs first: highest order).
     */
    private final class PositionRecorder implements Synchronization, Ordered {
        private final CompletionTracker.Entry entry;

        PositionRecorder(CompletionTracker.Entry entry) {
            this.entry = entry;
        }

        @Override
        public void onComplete(Exchange exchange) {
            if (EventExchanges.failure(exchange) != null) {
                // marked rollback-only: not processed, the dispatcher treats it as failed
                return;
            }
            SubscriptionPosition moved = tracker.complete(entry);
            if (resumeStrategy == null) {
                return;
            }
            if (ExchangeHelper.isFailureHandled(exchange)) {
                // Camel's resume processor stores nothing for an exchange its error handler handled
                recordDirectly(moved);
            }
            exchange.getMessage().setHeader(Exchange.OFFSET, resumable(tracker.watermark()));
        }

        @Override
        public void onFailure(Exchange exchange) {
            // the event stays unprocessed: the dispatcher delivers it again or stops the route
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST;
        }
    }

    // ---- lifecycle ----

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        checkpointKey = settings.checkpointKey != null
                ? settings.checkpointKey
                : getRouteId() != null ? getRouteId() : "eventstore-" + settings.stream;
        if (resumeAdapter != null) {
            resumeAdapter.bind(checkpointKey, settings.all);
        }
        if (resumeStrategy instanceof EventStoreResumeStrategy own) {
            EventStoreConfiguration c = getEndpoint().getConfiguration();
            own.useConnectionIfUnset(c.getConnectionString(), c.getClient());
        }
        failureReported = false;
        status.starting();
        buffer = new EventBuffer(settings.bufferSize);
        dispatcher = new EventDispatcher(this, settings, buffer, tracker);
        supervisor = new SubscriptionSupervisor(this, settings, buffer, status);
        threads = getEndpoint()
                .getCamelContext()
                .getExecutorServiceManager()
                .newFixedThreadPool(this, "EventStoreConsumer", 2);
        threads.execute(dispatcher);
        threads.execute(supervisor);
        registerHealthCheck();
    }

    @Override
    protected void doStop() throws Exception {
        if (supervisor != null) {
            supervisor.stop();
        }
        if (dispatcher != null) {
            dispatcher.stop();
            if (!dispatcher.awaitIdle(STOP_TIMEOUT_MILLIS)) {
                LOG.warn(
                        "{}: exchanges still in flight after {} ms; their events will be delivered again",
                        describe(),
                        STOP_TIMEOUT_MILLIS);
            }
        }
        if (threads != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(threads);
            threads = null;
        }
        // the last processed position, also when it moved without an exchange the resume processor stored
        recordDirectly(tracker.watermark());
        status.set(ConsumerStatus.State.STOPPED, "the consumer is stopped", null);
        super.doStop();
    }

    @Override
    protected void doShutdown() throws Exception {
        if (healthCheck != null) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(getEndpoint().getCamelContext());
            // only if it is still ours: a newer consumer of the route may have replaced it
            if (registry != null && registry.getCheck(healthCheck.getId()).orElse(null) == healthCheck) {
                registry.unregister(healthCheck);
            }
            healthCheck = null;
        }
        super.doShutdown();
    }

    private void registerHealthCheck() {
        if (healthCheck != null || !getEndpoint().getComponent().isHealthCheckConsumerEnabled()) {
            return;
        }
        HealthCheckRegistry registry = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (registry != null) {
            healthCheck = new EventStoreConsumerHealthCheck(this, String.valueOf(getRouteId()));
            // Camel creates a new consumer when a stopped route starts again; the previous one, never shut down,
            // left its check under the same id, and the registry keeps the first check registered for an id
            registry.unregister(healthCheck);
            registry.register(healthCheck);
        }
    }

    /**
     * A failure retrying cannot fix: logged once, reported by the health check, and the route is stopped (from
     * another thread, as stopping waits for this consumer's threads).
     */
    void failed(String reason, Throwable cause) {
        status.set(ConsumerStatus.State.FAILED, reason, cause);
        if (failureReported) {
            return;
        }
        failureReported = true;
        LOG.error("Stopping route {} ({}): {}", getRouteId(), describe(), reason);
        String routeId = getRouteId();
        Thread stopper = new Thread(
                () -> {
                    try {
                        getEndpoint().getCamelContext().getRouteController().stopRoute(routeId);
                    } catch (Exception e) {
                        LOG.warn("Could not stop route {}: {}", routeId, e.toString());
                    }
                },
                "eventstore-stop-" + routeId);
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Names the consumer in logs: endpoint and route, never credentials. */
    String describe() {
        return "eventstore:" + settings.stream + " (route " + getRouteId() + ")";
    }

    ConsumerStatus status() {
        return status;
    }

    CompletionTracker tracker() {
        return tracker;
    }

    /** The processed position: every event up to it has completed. {@code null} before the first subscription. */
    public SubscriptionPosition getProcessedPosition() {
        return tracker.watermark();
    }

    /**
     * Reads the position of the newest event in the consumer's stream, or in {@code $all} (all events, whatever
     * the consumer's filter): with {@link #getProcessedPosition()}, how far behind the consumer is. One read from
     * the server per call; {@code null} while the consumer is not connected.
     */
    public SubscriptionPosition readLogHead() throws Exception {
        SubscriptionSupervisor current = supervisor;
        return current == null ? null : current.logHead();
    }

    /** Exchanges that completed (successfully, or handled by the error handler) since the consumer started. */
    public long getDeliveredCount() {
        return delivered.sum();
    }

    /** Delivery attempts that failed (each retry of an event counts) since the consumer started. */
    public long getFailedCount() {
        return failedAttempts.sum();
    }

    void countDelivered() {
        delivered.increment();
    }

    void countFailed() {
        failedAttempts.increment();
    }

    /** The consumer's state: STARTING, CATCHING_UP, LIVE, RECONNECTING, FAILED or STOPPED. */
    public String getState() {
        return status.state().name();
    }
}
