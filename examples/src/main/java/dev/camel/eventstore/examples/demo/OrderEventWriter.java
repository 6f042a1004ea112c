package dev.camel.eventstore.examples.demo;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ExpectedRevision;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's order system: a steady flow of order events at a chosen rate, each order in its own stream {@code
 * order-<id>} going through OrderPlaced, PaymentAuthorized or PaymentFailed, then OrderShipped and OrderDelivered,
 * or OrderCancelled. Bodies are JSON; user metadata carries {@code $correlationId} (the order), {@code
 * $causationId} (the previous event of the order) and the writing application, as real event-sourced systems do.
 *
 * <p>Appends use the expected revision of the order's stream, as an aggregate would. A failed append (the server
 * restarting, say) is logged once and tried again on the next tick; the order's state does not advance until its
 * event is stored.
 */
final class OrderEventWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrderEventWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OPEN_ORDERS = 40;
    private static final long TICK_MILLIS = 50;
    private static final String[] SKUS = {"SKU-KETTLE", "SKU-MUG", "SKU-TEAPOT", "SKU-BEANS-1KG", "SKU-GRINDER"};
    private static final String[] CARRIERS = {"DHL", "UPS", "PostNL", "La Poste"};

    private final EventStoreDBClient client;
    private final double eventsPerSecond;
    private final Random random = new Random();
    private final List<Order> open = new ArrayList<>();
    private final AtomicLong written = new AtomicLong();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-order-writer");
        thread.setDaemon(true);
        return thread;
    });
    private long lastTickNanos;
    /** Events due and not yet written; capped at one second's worth, so an outage is not followed by a burst. */
    private double due;

    private boolean failing;

    OrderEventWriter(EventStoreDBClient client, double eventsPerSecond) {
        this.client = client;
        this.eventsPerSecond = eventsPerSecond;
    }

    void start() {
        lastTickNanos = System.nanoTime();
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Events written since {@link #start()}. */
    long written() {
        return written.get();
    }

    @Override
    public void close() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        due = Math.min(due + eventsPerSecond * (now - lastTickNanos) / 1e9, Math.max(1, eventsPerSecond));
        lastTickNanos = now;
        try {
            while (due >= 1 && !Thread.currentThread().isInterrupted()) {
                writeNext();
                due--;
            }
            if (failing) {
                LOG.info("Writing order events again");
                failing = false;
            }
        } catch (Exception e) {
            if (!failing) {
                LOG.warn("Could not write an order event, trying again: {}", rootMessage(e));
                failing = true;
            }
        }
    }

    private void writeNext() throws Exception {
        if (open.size() < OPEN_ORDERS && (open.isEmpty() || random.nextInt(4) == 0)) {
            Order order = new Order(HexFormat.of().toHexDigits(random.nextInt()), "customer-" + random.nextInt(500));
            append(order, "OrderPlaced", placed(order));
            open.add(order);
            return;
        }
        Order order = open.get(random.nextInt(open.size()));
        ObjectNode body = JSON.createObjectNode().put("orderId", order.id);
        switch (order.lastType) {
            case "OrderPlaced" -> {
                if (random.nextInt(10) == 0) {
                    append(order, "PaymentFailed", body.put("reason", "card declined"));
                } else {
                    append(
                            order,
                            "PaymentAuthorized",
                            body.put("amount", order.total).put("method", "card"));
                }
            }
            case "PaymentFailed" -> {
                append(order, "OrderCancelled", body.put("reason", "payment failed"));
                open.remove(order);
            }
            case "PaymentAuthorized" ->
                append(
                        order,
                        "OrderShipped",
                        body.put("carrier", CARRIERS[random.nextInt(CARRIERS.length)])
                                .put("trackingNumber", UUID.randomUUID().toString()));
            default -> {
                append(
                        order,
                        "OrderDelivered",
                        body.put("deliveredAt", Instant.now().toString()));
                open.remove(order);
            }
        }
    }

    private ObjectNode placed(Order order) {
        ObjectNode body = JSON.createObjectNode()
                .put("orderId", order.id)
                .put("customerId", order.customer)
                .put("placedAt", Instant.now().toString());
        ArrayNode lines = body.putArray("lines");
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            BigDecimal price = BigDecimal.valueOf(500 + random.nextInt(9500), 2);
            int quantity = 1 + random.nextInt(3);
            lines.addObject()
                    .put("sku", SKUS[random.nextInt(SKUS.length)])
                    .put("quantity", quantity)
                    .put("unitPrice", price);
            total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
        }
        order.total = total.setScale(2, RoundingMode.HALF_UP);
        return body.put("total", order.total).put("currency", "EUR");
    }

    private void append(Order order, String type, ObjectNode body) throws Exception {
        UUID id = UUID.randomUUID();
        ObjectNode metadata = JSON.createObjectNode()
                .put("$correlationId", order.id)
                .put("$causationId", order.lastEventId == null ? id.toString() : order.lastEventId.toString())
                .put("application", "demo-shop");
        EventData event = EventDataBuilder.json(id, type, JSON.writeValueAsBytes(body))
                .metadataAsBytes(JSON.writeValueAsBytes(metadata))
                .build();
        ExpectedRevision expected =
                order.revision < 0 ? ExpectedRevision.noStream() : ExpectedRevision.expectedRevision(order.revision);
        client.appendToStream("order-" + order.id, AppendToStreamOptions.get().expectedRevision(expected), event)
                .get(10, TimeUnit.SECONDS);
        order.revision++;
        order.lastType = type;
        order.lastEventId = id;
        written.incrementAndGet();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** One order's place in its life cycle. */
    private static final class Order {
        final String id;
        final String customer;
        long revision = -1;
        String lastType = "";
        UUID lastEventId;
        BigDecimal total;

        Order(String id, String customer) {
            this.id = id;
            this.customer = customer;
        }
    }
}
