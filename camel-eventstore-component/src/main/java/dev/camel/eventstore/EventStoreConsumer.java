package dev.camel.eventstore;

import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.client.Timeouts;
import dev.camel.eventstore.consumer.ConsumerHost;
import dev.camel.eventstore.consumer.ConsumerSettings;
import dev.camel.eventstore.consumer.SubscriptionTasks;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeAdapter;
import dev.camel.eventstore.resume.ResumeLoading;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.resume.Resumable;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.resume.ResumeAware;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.resume.Resumables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catch-up subscription to {@code $all} or one stream, delivering each event to the route as an exchange, in
 * order, at least once. The consumer does the lifecycle; the subscription, the in-flight window and the completion
 * tracking are {@link SubscriptionTasks}' work.
 *
 * <p>With a resume strategy ({@code .resumable(...)}), each completed exchange carries the processed position in
 * the {@code CamelOffset} header, which Camel's resume processor hands to the strategy; positions that advance
 * without a successful exchange (server checkpoints, events dead-lettered by the error handler, the last position
 * at stop) are handed to the strategy by the consumer itself.
 *
 * <p>Its statistics and state are JMX attributes; its health check is {@link EventStoreConsumerHealthCheck}.
 */
@ManagedResource(description = "EventStoreDB consumer")
public class EventStoreConsumer extends DefaultConsumer implements ResumeAware<ResumeStrategy>, ConsumerHost {
    private static final Logger LOG = LoggerFactory.getLogger(EventStoreConsumer.class);

    private final ConsumerSettings settings;
    private final ConsumerStatus status = new ConsumerStatus();
    private final SubscriptionTasks tasks;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();

    private ResumeStrategy resumeStrategy;
    private EventStoreResumeAdapter resumeAdapter;
    private String checkpointKey;
    private ClientHandle connection;
    private ExecutorService threads;
    private EventStoreConsumerHealthCheck healthCheck;
    private final RouteStopper routeStopper = new RouteStopper(this);

    EventStoreConsumer(EventStoreEndpoint endpoint, Processor processor, ConsumerSettings settings) {
        super(endpoint, processor);
        this.settings = settings;
        this.tasks = new SubscriptionTasks(this, settings);
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

    @Override
    public SubscriptionPosition storedPosition() throws Exception {
        if (resumeStrategy == null || resumeAdapter == null) {
            return null;
        }
        SubscriptionPosition stored = ResumeLoading.load(resumeStrategy, resumeAdapter, settings.resumeLoadTimeout());
        if (stored != null) {
            LOG.info("{} resumes after its stored position {} (key '{}')", describe(), stored, checkpointKey);
        }
        return stored;
    }

    @Override
    public void movedWithoutExchange(SubscriptionPosition moved) {
        if (moved != null && resumeStrategy != null) {
            try {
                resumeStrategy.updateLastOffset(resumable(moved));
            } catch (Exception e) {
                LOG.warn("The resume strategy could not record position {} of {}: {}", moved, describe(), e.toString());
            }
        }
    }

    private Resumable resumable(SubscriptionPosition position) {
        return Resumables.of(checkpointKey, position.toString());
    }

    // ---- exchanges ----

    @Override
    public Exchange createExchange(ResolvedEvent event, SubscriptionPosition position, int attempt) {
        Exchange exchange = createExchange(false);
        exchange.setIn(new EventStoreMessage(exchange, event, position, attempt));
        return exchange;
    }

    @Override
    public void processed(
            Exchange exchange, SubscriptionPosition moved, SubscriptionPosition watermark, boolean handled) {
        if (resumeStrategy == null) {
            return;
        }
        if (handled) {
            // Camel's resume processor stores nothing for an exchange its error handler handled
            movedWithoutExchange(moved);
        }
        exchange.getMessage().setHeader(Exchange.OFFSET, resumable(watermark));
    }

    @Override
    public void count(boolean deliveredOk) {
        (deliveredOk ? delivered : failedAttempts).increment();
    }

    @Override
    public boolean unprocessable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnprocessableEventException) {
                return true;
            }
        }
        return false;
    }

    // ---- state ----

    @Override
    public void subscribed() {
        status.setUnless(EventStoreConsumerState.LIVE, EventStoreConsumerState.CATCHING_UP);
    }

    @Override
    public void caughtUp() {
        status.set(EventStoreConsumerState.LIVE);
    }

    @Override
    public void reconnecting(String reason, Throwable cause) {
        status.countReconnect();
        status.set(EventStoreConsumerState.RECONNECTING, reason, cause);
    }

    /** A failure retrying cannot fix: logged once, reported by the health check, and the route is stopped. */
    @Override
    public void failed(String reason, Throwable cause) {
        status.set(EventStoreConsumerState.FAILED, reason, cause);
        routeStopper.stop(reason);
    }

    /** Another consumer claimed this one's checkpoint: it runs elsewhere now, so this one stops its route. */
    private void takenOver(String reason) {
        status.set(EventStoreConsumerState.STANDBY, reason, null);
        routeStopper.stopAsStandby(reason);
    }

    // ---- lifecycle ----

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (getRouteId() == null) {
            setRouteId(routeIdOfTheConsumerInFront());
        }
        checkpointKey = settings.checkpointKey() != null
                ? settings.checkpointKey()
                : getRouteId() != null ? getRouteId() : "eventstore-" + settings.stream();
        EventStoreConfiguration c = getEndpoint().getConfiguration();
        CamelContext context = getEndpoint().getCamelContext();
        connection = c.handle(context);
        if (resumeAdapter != null) {
            resumeAdapter.onTakenOver(this::takenOver);
            // for a strategy that has no connection: it makes its own handles on the same client from this one
            resumeAdapter.bind(checkpointKey, settings.all(), connection);
        }
        routeStopper.reset();
        status.starting();
        threads = getEndpoint()
                .getCamelContext()
                .getExecutorServiceManager()
                .newFixedThreadPool(this, "EventStoreConsumer", 2);
        tasks.start(threads);
        if (healthCheck == null && getEndpoint().getComponent().isHealthCheckConsumerEnabled()) {
            healthCheck = EventStoreConsumerHealthCheck.register(this);
        }
    }

    /**
     * The id of the route whose own consumer delivers to this one's processor: a {@code master:} consumer creates
     * this one as its delegate, with the route's processor but without telling it the route, which the checkpoint
     * key, the logs and the health check need. {@code null} when there is none.
     */
    private String routeIdOfTheConsumerInFront() {
        for (Route route : getEndpoint().getCamelContext().getRoutes()) {
            Consumer front = route.getConsumer();
            if (front != null && front != this && front.getProcessor() == getProcessor()) {
                return route.getRouteId();
            }
        }
        return null;
    }

    @Override
    protected void doStop() throws Exception {
        long drain = Timeouts.DRAIN.toMillis();
        if (!tasks.stop(drain)) {
            LOG.warn(
                    "{}: exchanges still in flight after {} ms; their events will be delivered again",
                    describe(),
                    drain);
        }
        if (threads != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(threads);
            threads = null;
        }
        if (connection != null) {
            connection.close();
        }
        // the last processed position, also when it moved without an exchange the resume processor stored
        movedWithoutExchange(tasks.processedPosition());
        status.set(EventStoreConsumerState.STOPPED, "the consumer is stopped", null);
        super.doStop();
    }

    /** The check stays while the route is stopped, to report it; it goes when the consumer is shut down. */
    @Override
    protected void doShutdown() throws Exception {
        EventStoreConsumerHealthCheck.unregister(healthCheck, getEndpoint().getCamelContext());
        healthCheck = null;
        super.doShutdown();
    }

    @Override
    public String describe() {
        return "eventstore:" + settings.stream() + " (route " + getRouteId() + ")";
    }

    @Override
    public ClientHandle connection() {
        return connection;
    }

    ConsumerStatus status() {
        return status;
    }

    /** Events dispatched and not yet covered by the processed position. */
    int outstanding() {
        return tasks.outstanding();
    }

    // ---- statistics ----

    /** The processed position: every event up to it has completed. {@code null} before the first subscription. */
    public SubscriptionPosition getProcessedPosition() {
        return tasks.processedPosition();
    }

    /**
     * The last position the resume strategy stored for this consumer, when it is an {@code EventStoreResumeStrategy}
     * (known through the adapter it keeps up to date); {@code null} before the first write, and with other
     * strategies.
     */
    public SubscriptionPosition getCheckpointPosition() {
        EventStoreResumeAdapter adapter = resumeAdapter;
        return adapter == null ? null : adapter.getCheckpointPosition();
    }

    /**
     * Reads the position of the newest event in the consumer's stream, or in {@code $all} (all events, whatever
     * the consumer's filter): with {@link #getProcessedPosition()}, how far behind the consumer is. One read from
     * the server per call; {@code null} while the consumer is not connected.
     */
    public SubscriptionPosition readLogHead() throws Exception {
        return tasks.readLogHead();
    }

    /** Exchanges that completed (successfully, or handled by the error handler) since the consumer started. */
    @ManagedAttribute(description = "Exchanges completed (successfully, or handled by the error handler)")
    public long getDeliveredCount() {
        return delivered.sum();
    }

    /** Delivery attempts that failed (each retry of an event counts) since the consumer started. */
    @ManagedAttribute(description = "Delivery attempts that failed (each retry counts)")
    public long getFailedCount() {
        return failedAttempts.sum();
    }

    /** The consumer's state. */
    public EventStoreConsumerState getState() {
        return status.state();
    }

    @ManagedAttribute(
            description = "The consumer's state: STARTING, CATCHING_UP, LIVE, RECONNECTING, FAILED, STANDBY or STOPPED")
    public String getStateText() {
        return status.state().name();
    }

    @ManagedAttribute(description = "The processed position: every event up to it has completed")
    public String getProcessedPositionText() {
        return text(getProcessedPosition());
    }

    @ManagedAttribute(description = "The last position the EventStoreDB resume strategy stored for this consumer")
    public String getCheckpointPositionText() {
        return text(getCheckpointPosition());
    }

    private static String text(SubscriptionPosition position) {
        return position == null ? null : position.toString();
    }
}
