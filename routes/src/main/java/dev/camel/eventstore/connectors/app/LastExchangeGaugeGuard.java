package dev.camel.eventstore.connectors.app;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Makes Camel's {@code camel.exchanges.last.timestamp} gauge register once. Camel 4.18's {@link
 * MicrometerExchangeEventNotifier} looks the gauge up and registers it when missing, unsynchronised, on the thread
 * of each exchange done: connectors whose first exchanges complete at the same moment both register it, and
 * Micrometer logs "This Gauge has been already registered". Dispatched before that notifier (notifiers run in
 * {@link Ordered} order), this one hands it the exchanges done one at a time until the gauge exists, then steps
 * aside; the notifier then sees those first events twice, which records nothing twice: it stops an exchange's timer
 * sample once and removes it, and the second pass only sets the timestamp again.
 */
final class LastExchangeGaugeGuard extends EventNotifierSupport implements Ordered {
    static final String GAUGE = "camel.exchanges.last.timestamp";

    private volatile boolean registered;

    /** Adds the guard to a context whose metrics configuration adds Camel's exchange notifier. */
    static void addTo(CamelContext context) {
        context.getManagementStrategy().addEventNotifier(new LastExchangeGaugeGuard());
    }

    @Override
    public int getOrder() {
        return HIGHEST;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return !registered
                && (event instanceof CamelEvent.ExchangeCompletedEvent
                        || event instanceof CamelEvent.ExchangeFailedEvent);
    }

    @Override
    public void notify(CamelEvent event) throws Exception {
        MicrometerExchangeEventNotifier metrics = exchangeNotifier();
        if (metrics == null || metrics.getMeterRegistry() == null) {
            // no exchange metrics: exchanges run only once the notifier, if configured, has started
            registered = true;
            return;
        }
        synchronized (this) {
            MeterRegistry registry = metrics.getMeterRegistry();
            if (registry.find(GAUGE).gauge() == null && metrics.isEnabled(event) && !metrics.isIgnoreExchangeEvents()) {
                metrics.notify(event);
            }
            registered = registry.find(GAUGE).gauge() != null;
        }
    }

    private MicrometerExchangeEventNotifier exchangeNotifier() {
        for (EventNotifier notifier : getCamelContext().getManagementStrategy().getEventNotifiers()) {
            if (notifier instanceof MicrometerExchangeEventNotifier micrometer && micrometer.isStarted()) {
                return micrometer;
            }
        }
        return null;
    }
}
