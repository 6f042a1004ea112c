package dev.camel.eventstore.examples.demo;

import dev.camel.eventstore.EventStoreConsumer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Prints, every few seconds, what the demo has done: events written, then per connector the events delivered,
 * their rate, the stored checkpoint, the lag and whether it is live, then what the HTTP receiver and the Kafka
 * topic received. The connector figures are the ones served at {@code /observe/metrics}.
 */
final class ProgressDisplay implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final CamelContext context;
    private final MeterRegistry registry;
    private final OrderEventWriter writer;
    private final DemoHttpReceiver receiver;
    private final TopicSize topic;
    private final PrintStream out;
    private final long startedNanos = System.nanoTime();
    private final Map<String, Double> deliveredBefore = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-progress");
        thread.setDaemon(true);
        return thread;
    });
    private long printedNanos = startedNanos;
    private long writtenBefore;

    /**
     * @param writer the order writer, or {@code null} when the demo writes nothing
     * @param receiver the local HTTP receiver, or {@code null} when a URL was given
     */
    ProgressDisplay(
            CamelContext context,
            OrderEventWriter writer,
            DemoHttpReceiver receiver,
            TopicSize topic,
            PrintStream out) {
        this.context = context;
        this.registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        this.writer = writer;
        this.receiver = receiver;
        this.topic = topic;
        this.out = out;
    }

    void start(int seconds) {
        timer.scheduleAtFixedRate(this::print, seconds, seconds, TimeUnit.SECONDS);
    }

    synchronized void print() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - printedNanos) / 1e9);
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                "%n---- demo progress at %s (running %s) ----%n",
                LocalTime.now().format(TIME), uptime(now)));
        if (writer != null) {
            long written = writer.written();
            text.append(String.format(
                    "order system wrote %,d events in this run (%.1f/s)%n",
                    written, (written - writtenBefore) / seconds));
            writtenBefore = written;
        }
        text.append(String.format(
                "%-20s %10s %8s %14s %10s  %s%n",
                "connector", "delivered", "per s", "checkpoint", "lag bytes", "state"));
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof EventStoreConsumer consumer) {
                String id = route.getRouteId();
                double delivered = counter("eventstore.connector.events.delivered", id);
                double rate = (delivered - deliveredBefore.getOrDefault(id, 0.0)) / seconds;
                deliveredBefore.put(id, delivered);
                text.append(String.format(
                        "%-20s %,10.0f %8.1f %14s %10s  %s%n",
                        id,
                        delivered,
                        rate,
                        number(gauge("eventstore.connector.checkpoint.position", id)),
                        number(gauge("eventstore.connector.lag", id)),
                        consumer.getState().name().toLowerCase(java.util.Locale.ROOT)));
            }
        }
        text.append("received:");
        if (receiver != null) {
            text.append(
                    String.format(" HTTP receiver %,d requests (last %s);", receiver.requests(), receiver.lastPath()));
        }
        long records = topic.records();
        text.append(String.format(
                " Kafka topic %s %s%n",
                topic.topic(), records < 0 ? "not created yet" : String.format("%,d records", records)));
        printedNanos = now;
        out.print(text);
        out.flush();
    }

    private double counter(String name, String connector) {
        FunctionCounter counter = registry == null
                ? null
                : registry.find(name).tag("connector", connector).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private double gauge(String name, String connector) {
        Gauge gauge = registry == null
                ? null
                : registry.find(name).tag("connector", connector).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format("%,.0f", value);
    }

    private String uptime(long now) {
        Duration up = Duration.ofNanos(now - startedNanos);
        return String.format("%d:%02d", up.toMinutes(), up.toSecondsPart());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
