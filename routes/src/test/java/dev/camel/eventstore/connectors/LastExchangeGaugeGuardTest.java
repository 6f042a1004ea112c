package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
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
import java.util.function.ToDoubleFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Routes whose first exchanges complete at the same moment register Camel's last-exchange gauge once with the
 * guard, and the exchange metrics read as without it.
 */
class LastExchangeGaugeGuardTest {
    private static final int ROUTES = 8;

    /** Counts registrations of the gauge, and holds each a while so that racing ones overlap. */
    private static final class SlowGaugeRegistry extends SimpleMeterRegistry {
        final AtomicInteger registrations = new AtomicInteger();

        @Override
        protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
            if (id.getName().equals(LastExchangeGaugeGuard.GAUGE)) {
                registrations.incrementAndGet();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.newGauge(id, obj, valueFunction);
        }
    }

    @Test
    void concurrentFirstExchangesRegisterTheGaugeOnceAndEachExchangeIsTimedOnce() throws Exception {
        SlowGaugeRegistry registry = new SlowGaugeRegistry();
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

            assertThat(registry.registrations).hasValue(1);
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
        }
    }
}
