package dev.camel.eventstore.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Processor;

/**
 * The optional transform: a Camel language expression ({@code transformLanguage}: simple, jsonpath, groovy, ...)
 * whose result becomes the body. A map or list result is written as JSON, so "JSON in, JSON out" holds for
 * languages that return structures. A no-op without an expression.
 */
final class RecordTransform implements Processor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Expression expression;
    private final String language;

    RecordTransform(CamelContext context, String language, String expression) {
        this.language = language;
        this.expression =
                expression == null ? null : context.resolveLanguage(language).createExpression(expression);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (expression == null) {
            return;
        }
        Object result;
        try {
            result = expression.evaluate(exchange, Object.class);
        } catch (RuntimeException e) {
            throw new InvalidRecordException("the " + language + " transform failed on the event's data", e);
        }
        if (exchange.getException() != null) {
            Exception failure = exchange.getException();
            exchange.setException(null);
            throw new InvalidRecordException("the " + language + " transform failed on the event's data", failure);
        }
        exchange.getMessage()
                .setBody(
                        result instanceof Map<?, ?> || result instanceof Collection<?>
                                ? JSON.writeValueAsBytes(result)
                                : result);
    }
}
