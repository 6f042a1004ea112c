package dev.camel.eventstore.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConstants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The HTTP sink in batches: up to {@code batchSize} consecutive events for the same URL, or what arrived within
 * {@code batchTimeout}, go in one request whose body is a JSON array of their data. Each event's exchange stays in
 * flight until the request is answered, so the consumer's position moves only over acknowledged batches; a failed
 * request fails every exchange of the batch, in order, and the consumer delivers them again.
 *
 * <p>Batches are sent one at a time, in order; the next one fills meanwhile (the consumer's {@code maxInFlight} must
 * be at least {@code batchSize}).
 */
final class HttpBatchSink extends AsyncProcessorSupport {
    static final String BATCH_SIZE_HEADER = "esdb-batch-size";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Pending(Exchange exchange, AsyncCallback callback) {}

    private record Batch(long number, String url, List<Pending> events) {}

    private final HttpTarget target;
    private final int batchSize;
    private final long timeoutMillis;
    private final ExecutorService sender;
    private final ScheduledExecutorService timer;

    private List<Pending> open = new ArrayList<>();
    private String openUrl;
    private ScheduledFuture<?> flushAfterTimeout;
    private long closedBatches;
    /** Batches up to this number were closed before a failure: they are not sent, and fail as well. */
    private long failedThrough;

    HttpBatchSink(CamelContext context, HttpTarget target, int batchSize, long timeoutMillis) {
        this.target = target;
        this.batchSize = batchSize;
        this.timeoutMillis = timeoutMillis;
        this.sender = context.getExecutorServiceManager().newSingleThreadExecutor(this, "eventstore-http-batch");
        this.timer = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "eventstore-http-batch-timer");
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        String url = target.urlFor(exchange.getMessage());
        Batch other = null;
        Batch full = null;
        synchronized (this) {
            if (!open.isEmpty() && !url.equals(openUrl)) {
                other = take();
            }
            if (open.isEmpty()) {
                openUrl = url;
                flushAfterTimeout = timer.schedule(this::flushOnTimeout, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            open.add(new Pending(exchange, callback));
            if (open.size() >= batchSize) {
                full = take();
            }
        }
        submit(other);
        submit(full);
        return false;
    }

    private void flushOnTimeout() {
        Batch batch;
        synchronized (this) {
            batch = open.isEmpty() ? null : take();
        }
        submit(batch);
    }

    /** Closes the open batch; called holding the lock. */
    private Batch take() {
        Batch batch = new Batch(++closedBatches, openUrl, open);
        open = new ArrayList<>(batchSize);
        openUrl = null;
        flushAfterTimeout.cancel(false);
        return batch;
    }

    private void submit(Batch batch) {
        if (batch != null) {
            // the single sender thread keeps batches in the order they were closed
            sender.execute(() -> send(batch));
        }
    }

    private void send(Batch batch) {
        Exception failure = null;
        synchronized (this) {
            if (batch.number() <= failedThrough) {
                failure = new NotSentException("not sent: a batch before it failed; the events are delivered again");
            }
        }
        if (failure == null) {
            failure = post(batch);
        }
        Batch alsoFailed = null;
        if (failure != null) {
            synchronized (this) {
                // what was closed or is filling now came after the failed events: sent now it would overtake their
                // retries
                alsoFailed = open.isEmpty() ? null : take();
                failedThrough = closedBatches;
            }
        }
        complete(batch, failure);
        if (alsoFailed != null) {
            complete(
                    alsoFailed,
                    new NotSentException("not sent: a batch before it failed; the events are delivered again"));
        }
    }

    private static void complete(Batch batch, Exception failure) {
        for (Pending p : batch.events()) {
            if (failure != null) {
                p.exchange().setException(failure);
            }
            p.callback().done(false);
        }
    }

    private Exception post(Batch batch) {
        try {
            Exchange first = batch.events().get(0).exchange();
            Map<String, Object> headers = new java.util.HashMap<>();
            first.getMessage().getHeaders().forEach((name, value) -> {
                // the per-event headers describe one event, not the batch
                if (!name.startsWith("esdb-record-")) {
                    headers.put(name, value);
                }
            });
            headers.put(BATCH_SIZE_HEADER, String.valueOf(batch.events().size()));
            target.send(batch.url(), body(batch), "application/json", headers);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /** A JSON array of the events' data; data that is not JSON goes in as a JSON string of its text. */
    private static byte[] body(Batch batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        boolean first = true;
        for (Pending p : batch.events()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            byte[] data = p.exchange().getMessage().getBody(byte[].class);
            String type = p.exchange().getMessage().getHeader(EventStoreConstants.CONTENT_TYPE, String.class);
            if (data != null && data.length > 0 && "application/json".equals(type)) {
                out.write(data);
            } else {
                out.write(JSON.writeValueAsBytes(data == null ? "" : new String(data, StandardCharsets.UTF_8)));
            }
        }
        out.write(']');
        return out.toByteArray();
    }
}
