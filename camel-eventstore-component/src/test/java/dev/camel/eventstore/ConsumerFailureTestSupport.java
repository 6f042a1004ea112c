package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.failAt;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the tests of failed exchanges share: a testkit server for each test class ({@link #SERVER}), each test on
 * streams of its own; what a test starts, closed after it ({@link #routes}); a route whose event 2 fails; a minute
 * at most per test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ConsumerFailureTestSupport {
    @RegisterExtension
    static final SharedServer SERVER = new SharedServer("failure");

    @RegisterExtension
    final RouteFixture routes = new RouteFixture();

    /**
     * A new stream of numbered events whose event 2 fails, with what the failure gives, until it is {@link #fix}ed;
     * a route {@link #routeId} through {@link #step} counts the {@link #attempts} at it, and everything that passes
     * reaches the {@link #sink}.
     */
    final class EventTwoFails {
        final String routeId;
        final String stream;
        final AtomicInteger attempts = new AtomicInteger();
        final Sink sink = new Sink();
        final Processor step;
        /** Where {@link #startResumable} stores its checkpoints. */
        final EventStoreResumeStrategy checkpoints = new EventStoreResumeStrategy();

        private final AtomicBoolean broken = new AtomicBoolean(true);

        EventTwoFails(String routeId, int count, Supplier<Exception> failure) {
            this.routeId = routeId;
            this.stream = SERVER.streamWith(routeId, count);
            this.step = failAt(2, attempts, () -> broken.get() ? failure.get() : null);
        }

        /** Starts the route from the stream with the options, through the step to the sink. */
        CamelContext start(String options) throws Exception {
            return routes.start(route(SERVER.uri(stream, options), routeId, step, sink));
        }

        /**
         * Starts the route, resumable with {@link #checkpoints}, from the stream with the options, through the step
         * to the sink, after what {@code more} adds to the builder (an error handler, for example).
         */
        CamelContext startResumable(String options, Consumer<RouteBuilder> more) throws Exception {
            return routes.start(
                    new RouteBuilder() {
                        @Override
                        public void configure() {
                            more.accept(this);
                            from(SERVER.uri(stream, options))
                                    .routeId(routeId)
                                    .resumable("checkpoints")
                                    .process(step)
                                    .process(sink::add);
                        }
                    },
                    Map.of("checkpoints", checkpoints));
        }

        /** From now on event 2 passes. */
        void fix() {
            broken.set(false);
        }

        /** Events 0 and 1 passed, event 2 was tried once and did not: the processed position is still 1. */
        void assertHeldAtEventTwo(CamelContext context) {
            assertThat(attempts).hasValue(1);
            assertThat(sink.received).containsExactly(0, 1);
            assertThat(consumer(context, routeId).getProcessedPosition()).isEqualTo(SubscriptionPosition.ofRevision(1));
        }
    }
}
