package dev.camel.eventstore.reliability;

import dev.camel.eventstore.EventStoreConstants;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * When each delivery attempt of an event began and ended, as the connector's own CamelContext saw them: the
 * exchange created for the attempt, and the exchange done. The consumer schedules a retry from the end of the
 * failed attempt, so these are the times its backoff is a promise about; a receiver's arrival times also carry the
 * network's and the machine's delays.
 */
final class ExchangeAttempts extends EventNotifierSupport {
    /** One attempt of one event ({@code stream@revision}); times from {@link System#nanoTime()}. */
    record Attempt(String event, int attempt, long beganNanos, long endedNanos, boolean failed) {}

    private record Key(String event, int attempt) {}

    private record Began(Key key, long nanos) {}

    /** By exchange id: the route removes the consumer's headers before the exchange is done. */
    private final Map<String, Began> began = new ConcurrentHashMap<>();

    private final Map<Key, Attempt> ended = new ConcurrentHashMap<>();

    /** Starts recording every exchange of the context. */
    static ExchangeAttempts recordIn(CamelContext context) throws Exception {
        ExchangeAttempts attempts = new ExchangeAttempts();
        context.getManagementStrategy().addEventNotifier(attempts);
        attempts.start();
        return attempts;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCreatedEvent
                || event instanceof CamelEvent.ExchangeCompletedEvent
                || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        long now = System.nanoTime();
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (event instanceof CamelEvent.ExchangeCreatedEvent) {
            Key key = key(exchange);
            if (key != null) {
                began.put(exchange.getExchangeId(), new Began(key, now));
            }
        } else {
            Began b = began.remove(exchange.getExchangeId());
            if (b != null) {
                ended.put(
                        b.key(), new Attempt(b.key().event(), b.key().attempt(), b.nanos(), now, exchange.isFailed()));
            }
        }
    }

    /**
     * The failed attempts, begun between two {@link System#nanoTime()} readings, of the event that failed most
     * often in that time; first attempt first.
     */
    List<Attempt> mostFailedBetween(long fromNanos, long toNanos) {
        List<Attempt> failed = ended.values().stream()
                .filter(a -> a.failed() && a.beganNanos() - fromNanos >= 0 && toNanos - a.beganNanos() >= 0)
                .toList();
        return failed.stream().collect(Collectors.groupingBy(Attempt::event, Collectors.counting())).entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(most -> failed.stream()
                        .filter(a -> a.event().equals(most.getKey()))
                        .sorted(Comparator.comparingInt(Attempt::attempt))
                        .toList())
                .orElse(List.of());
    }

    private static Key key(Exchange exchange) {
        String stream = exchange.getMessage().getHeader(EventStoreConstants.STREAM_ID, String.class);
        Long revision = exchange.getMessage().getHeader(EventStoreConstants.REVISION, Long.class);
        Integer attempt = exchange.getMessage().getHeader(EventStoreConstants.DELIVERY_ATTEMPT, Integer.class);
        return stream == null || revision == null || attempt == null ? null : new Key(stream + "@" + revision, attempt);
    }
}
