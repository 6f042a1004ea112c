package dev.camel.eventstore.connectors;

import dev.camel.eventstore.EventStoreConstants;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The Kafka record key, as EventStoreDB's Kafka sink extracts it ({@code partitionKeyExtraction}): none, the
 * stream, the stream's suffix after its last {@code -}, a regex capture group on the stream, or header values
 * joined with {@code -}. Records with the same key go to the same partition, where Kafka keeps their order.
 */
abstract class KafkaKey implements Processor {

    static KafkaKey create(ConnectorSettings settings) {
        String extraction = settings.choice("keyExtraction", "none", "stream", "streamSuffix", "regex", "headers");
        return switch (extraction) {
            case "stream" -> new FromStream(stream -> stream);
            case "streamSuffix" -> new FromStream(stream -> stream.substring(stream.lastIndexOf('-') + 1));
            case "regex" -> regex(settings.required("keyExpression"));
            case "headers" ->
                new FromHeaders(List.of(settings.required("keyExpression").split("\\s*,\\s*")));
            default -> new None();
        };
    }

    private static KafkaKey regex(String expression) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(expression);
        } catch (PatternSyntaxException e) {
            throw ConnectorSettings.invalid(
                    "keyExpression", "is not a valid regular expression: " + e.getDescription());
        }
        if (pattern.matcher("").groupCount() < 1) {
            throw ConnectorSettings.invalid("keyExpression", "needs a capture group for the key, e.g. ^([^-]+)-");
        }
        return new FromStream(stream -> {
            Matcher m = pattern.matcher(stream);
            // a stream the regex does not match gets no key (round-robin partitioning)
            return m.find() ? m.group(1) : null;
        });
    }

    static final class None extends KafkaKey {
        @Override
        public void process(Exchange exchange) {
            // no key
        }
    }

    static final class FromStream extends KafkaKey {
        private final java.util.function.UnaryOperator<String> key;

        FromStream(java.util.function.UnaryOperator<String> key) {
            this.key = key;
        }

        @Override
        public void process(Exchange exchange) {
            String stream = exchange.getMessage().getHeader(EventStoreConstants.STREAM_ID, String.class);
            String value = stream == null ? null : key.apply(stream);
            if (value != null) {
                exchange.getMessage().setHeader(KafkaConstants.KEY, value);
            }
        }
    }

    static final class FromHeaders extends KafkaKey {
        private final List<String> headers;

        FromHeaders(List<String> headers) {
            this.headers = headers;
        }

        @Override
        public void process(Exchange exchange) {
            Message message = exchange.getMessage();
            StringBuilder key = new StringBuilder();
            for (String header : headers) {
                Object value = message.getHeader(header);
                if (value != null) {
                    if (!key.isEmpty()) {
                        key.append('-');
                    }
                    key.append(value);
                }
            }
            if (!key.isEmpty()) {
                message.setHeader(KafkaConstants.KEY, key.toString());
            }
        }
    }
}
