package dev.camel.eventstore.consumer;

import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.position.SubscriptionPosition;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;

/**
 * What the subscription, the dispatcher and the completion tracking need from the Camel consumer they work for:
 * exchanges, the route, the resume strategy and the consumer's state. Implemented by the {@code eventstore:}
 * consumer, so that this package does not depend on it.
 */
public interface ConsumerHost {

    /** Names the consumer in logs: endpoint and route, never credentials. */
    String describe();

    /** The consumer's client. */
    ClientHandle connection();

    /** The position the resume strategy stored for the consumer, or {@code null} when it has none. */
    SubscriptionPosition storedPosition() throws Exception;

    /** A new exchange for an event, its headers set; the caller adds what happens when it completes. */
    Exchange createExchange(ResolvedEvent event, SubscriptionPosition position, int attempt);

    /** The route. */
    AsyncProcessor getAsyncProcessor();

    /** Gives back an exchange from {@link #createExchange}. */
    void releaseExchange(Exchange exchange, boolean autoRelease);

    /**
     * An exchange completed and the processed position is now {@code watermark}; {@code moved} is where it moved
     * to ({@code null} if it did not), {@code handled} whether the route's error handler handled a failure.
     */
    void processed(Exchange exchange, SubscriptionPosition moved, SubscriptionPosition watermark, boolean handled);

    /** The processed position moved without an exchange (a server checkpoint, an event left out). */
    void movedWithoutExchange(SubscriptionPosition moved);

    /** Counts an exchange that completed, or one attempt that failed. */
    void count(boolean delivered);

    /** Whether the route said that no attempt of an exchange can succeed. */
    boolean unprocessable(Throwable cause);

    /** The subscription is confirmed: catching up, unless it already said it is live. */
    void subscribed();

    /** The subscription has delivered everything there was: live. */
    void caughtUp();

    /** The subscription is lost and being re-established. */
    void reconnecting(String reason, Throwable cause);

    /** A failure retrying cannot fix: the consumer reports it and stops the route. */
    void failed(String reason, Throwable cause);
}
