package dev.camel.eventstore.connectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;

/**
 * The record-scope JSON filter ({@code filterJsonPath}): events whose data does not match stop here, and count as
 * processed, so the position moves past them. A no-op without an expression.
 */
final class RecordFilter implements Processor {
    private final Predicate predicate;

    RecordFilter(CamelContext context, String jsonPath) {
        this.predicate =
                jsonPath == null ? null : context.resolveLanguage("jsonpath").createPredicate(jsonPath);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (predicate != null && !matches(exchange)) {
            exchange.setRouteStop(true);
        }
    }

    private boolean matches(Exchange exchange) {
        try {
            return predicate.matches(exchange);
        } catch (RuntimeException e) {
            throw new InvalidRecordException("filterJsonPath cannot be evaluated on the event's data", e);
        }
    }
}
