package dev.camel.eventstore.consumer;

import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

/**
 * A {@link ConsumerHost} for the dispatcher alone: its exchanges go through a real route ({@code direct:sink} of
 * the given context), so that Camel's unit of work runs their completions as it does for the consumer; it records
 * what the dispatcher reports.
 */
final class DispatcherHost implements ConsumerHost {
    static final String POSITION = "position";
    static final String ATTEMPT = "attempt";

    private final CamelContext context;
    private final AsyncProcessor route;
    final List<SubscriptionPosition> watermarks = new CopyOnWriteArrayList<>();
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger failedAttempts = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();

    DispatcherHost(CamelContext context) throws Exception {
        this.context = context;
        this.route = context.getEndpoint("direct:sink").createAsyncProducer();
        context.addService(route, true, true);
    }

    @Override
    public String describe() {
        return "the dispatcher under test";
    }

    @Override
    public ClientHandle connection() {
        throw new UnsupportedOperationException("the dispatcher needs no client");
    }

    @Override
    public SubscriptionPosition storedPosition() {
        return null;
    }

    @Override
    public Exchange createExchange(ResolvedEvent event, SubscriptionPosition position, int attempt) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(event.getOriginalEvent().getEventData());
        exchange.getMessage().setHeader(POSITION, position);
        exchange.getMessage().setHeader(ATTEMPT, attempt);
        return exchange;
    }

    @Override
    public AsyncProcessor getAsyncProcessor() {
        return route;
    }

    @Override
    public void releaseExchange(Exchange exchange, boolean autoRelease) {
        // nothing pooled
    }

    @Override
    public void processed(
            Exchange exchange, SubscriptionPosition moved, SubscriptionPosition watermark, boolean handled) {
        watermarks.add(watermark);
    }

    @Override
    public void movedWithoutExchange(SubscriptionPosition moved) {
        watermarks.add(moved);
    }

    @Override
    public void count(boolean delivered) {
        (delivered ? this.delivered : failedAttempts).incrementAndGet();
    }

    @Override
    public boolean unprocessable(Throwable cause) {
        return false;
    }

    @Override
    public void subscribed() {
        // no subscription here
    }

    @Override
    public void caughtUp() {
        // no subscription here
    }

    @Override
    public void reconnecting(String reason, Throwable cause) {
        // no subscription here
    }

    @Override
    public void failed(String reason, Throwable cause) {
        failures.add(reason);
    }

    /** The index the test gave an exchange's delivery: its position's revision. */
    static int index(Exchange exchange) {
        return (int) exchange.getMessage()
                .getHeader(POSITION, SubscriptionPosition.class)
                .revision();
    }
}
