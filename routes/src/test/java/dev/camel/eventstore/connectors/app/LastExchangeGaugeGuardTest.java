package dev.camel.eventstore.connectors.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Routes whose first exchanges complete at the same moment register Camel's last-exchange gauge once with the
 * guard (without it, Micrometer reports the second registration), and the exchange metrics read as without it.
 */
class LastExchangeGaugeGuardTest {
    private static final int ROUTES = 8;

    /**
     * Replays the race of a loaded machine: the first two lookups that miss the gauge meet (the first waits at most a
     * second for the second), and the second answers only after the first had time to register it, so that its
     * caller registers it again.
     */
    private static final class RacingRegistry extends SimpleMeterRegistry {
        private final AtomicInteger missed = new AtomicInteger();
        private final CountDownLatch secondMissed = new CountDownLatch(1);

        @Override
        public List<Meter> getMeters() {
            List<Meter> meters = super.getMeters();
            if (meters.stream().noneMatch(m -> m.getId().getName().equals(LastExchangeGaugeGuard.GAUGE))) {
                try {
                    int order = missed.incrementAndGet();
                    if (order == 1) {
                        secondMissed.await(1, TimeUnit.SECONDS);
                    } else if (order == 2) {
                        secondMissed.countDown();
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return meters;
        }
    }

    @Test
    void concurrentFirstExchangesRegisterTheGaugeOnceAndEachExchangeIsTimedOnce() throws Exception {
        RacingRegistry registry = new RacingRegistry();
        // Micrometer reports a second registration at WARN the first time in a JVM, at DEBUG after that
        Logger micrometer = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Level level = micrometer.getLevel();
        micrometer.setLevel(Level.DEBUG);
        micrometer.addAppender(log);
        CamelContext context = new DefaultCamelContext();
        MicrometerExchangeEventNotifier metrics = new MicrometerExchangeEventNotifier();
        metrics.setMeterRegistry(registry);
        context.getManagementStrategy().addEventNotifier(metrics);
        LastExchangeGaugeGuard.addTo(context);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < ROUTES; i++) {
                    from("direct:r" + i).routeId("r" + i).setBody(constant("done"));
                }
            }
        });
        context.start();
        ExecutorService threads = Executors.newFixedThreadPool(ROUTES);
        try (context) {
            ProducerTemplate producer = context.createProducerTemplate();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> sent = new ArrayList<>();
            for (int i = 0; i < ROUTES; i++) {
                String uri = "direct:r" + i;
                sent.add(threads.submit(() -> {
                    go.await();
                    return producer.requestBody(uri, "event");
                }));
            }
            go.countDown();
            for (Future<Object> f : sent) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("done");
            }

            assertThat(log.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(m -> m.contains("already registered"));
            assertThat(registry.find(LastExchangeGaugeGuard.GAUGE).gauge().value())
                    .isPositive();
            // each exchange timed once, though the notifier saw the first ones twice
            long timed =
                    registry
                            .find("camel.exchange.event.notifier")
                            .tag("eventType", "ExchangeCompletedEvent")
                            .timers()
                            .stream()
                            .mapToLong(Timer::count)
                            .sum();
            assertThat(timed).isEqualTo(ROUTES);
        } finally {
            threads.shutdownNow();
            micrometer.detachAppender(log);
            micrometer.setLevel(level);
        }
    }
}
