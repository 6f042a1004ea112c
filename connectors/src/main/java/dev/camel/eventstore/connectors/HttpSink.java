package dev.camel.eventstore.connectors;

import dev.camel.eventstore.EventStoreConstants;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The HTTP sink, one request per event: the event's data as the body, its headers as request headers. With {@code
 * maxInFlight} above 1 requests run on their own threads, as many as the consumer lets be in flight, and the consumer
 * keeps one exchange per stream in flight so that each stream's events arrive in order.
 */
final class HttpSink extends AsyncProcessorSupport {
    private final HttpTarget target;
    private final ExecutorService requests;

    HttpSink(CamelContext context, HttpTarget target, int maxInFlight) {
        this.target = target;
        this.requests = maxInFlight == 1
                ? null
                : context.getExecutorServiceManager().newFixedThreadPool(this, "eventstore-http-sink", maxInFlight);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (requests == null) {
            send(exchange);
            callback.done(true);
            return true;
        }
        requests.execute(() -> {
            send(exchange);
            callback.done(false);
        });
        return false;
    }

    private void send(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, Object> headers = new HashMap<>(message.getHeaders());
        try {
            target.send(
                    target.urlFor(message),
                    message.getBody(byte[].class),
                    message.getHeader(EventStoreConstants.CONTENT_TYPE, "application/octet-stream", String.class),
                    headers);
        } catch (Exception e) {
            exchange.setException(e);
        }
    }
}
