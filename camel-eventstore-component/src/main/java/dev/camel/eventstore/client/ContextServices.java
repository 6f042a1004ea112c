package dev.camel.eventstore.client;

import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;

/**
 * What the component's parts share in one CamelContext ({@link SharedClients}, the checkpoint writers' threads) is a
 * service of that context: found there, or added (and started) by whoever needs it first.
 */
public final class ContextServices {
    /** Finding or adding a service is one step, also when routes start in parallel. */
    private static final Object ADDING = new Object();

    private ContextServices() {}

    /** The context's service of that type, added and started now if it has none. */
    public static <T extends Service> T of(CamelContext context, Class<T> type, Supplier<T> create) {
        synchronized (ADDING) {
            T service = context.hasService(type);
            if (service == null) {
                service = create.get();
                try {
                    context.addService(service, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot add " + type.getSimpleName() + " to the CamelContext", e);
                }
            }
            return service;
        }
    }
}
