package dev.camel.eventstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.camel.Exchange;

/** Records every exchange it sees. */
final class Recorder extends CopyOnWriteArrayList<Recorder.Received> implements Consumer<Exchange> {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(Exchange exchange) {
        add(new Received(exchange));
    }

    List<Integer> numbers() {
        List<Integer> numbers = new ArrayList<>();
        for (Received r : this) {
            numbers.add(TestEvents.number((byte[]) r.body));
        }
        return numbers;
    }

    /** What one exchange carried, copied when it was routed. */
    static final class Received {
        final Object body;
        final Map<String, Object> headers;

        Received(Exchange exchange) {
            this.body = exchange.getMessage().getBody();
            this.headers = new HashMap<>(exchange.getMessage().getHeaders());
        }

        Object header(String name) {
            return headers.get(name);
        }
    }
}
