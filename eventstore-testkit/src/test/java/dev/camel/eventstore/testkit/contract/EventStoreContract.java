package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.WAIT;
import static dev.camel.eventstore.testkit.contract.ContractSupport.failure;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.numbered;
import static dev.camel.eventstore.testkit.contract.ContractSupport.recorded;
import static dev.camel.eventstore.testkit.contract.ContractSupport.result;
import static dev.camel.eventstore.testkit.contract.ContractSupport.revisions;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.WriteResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour the real {@code db-client-java} 5.4.5 sees from EventStoreDB, driven only through the client's public
 * API. Each subclass is one family of it, the tests of one part of the protocol; a run class ({@link
 * TestkitContractTest}, {@link RealServerContractTest}) nests every family and registers the {@link ServerUnderTest}
 * they all run against, so the same tests hold against a real EventStoreDB and against the testkit server.
 *
 * <p>Rules that keep a family valid on a real, shared server: every test writes to streams with a unique name, never
 * assumes that {@code $all} is empty or starts anywhere in particular (a real server has system events and the events
 * of other tests), and filters {@code $all} by its own stream names before asserting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class EventStoreContract {
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private ServerUnderTest server;
    private EventStoreDBClient client;

    @BeforeAll
    void useServer(ServerUnderTest server) {
        this.server = server;
    }

    /** One client for the family, connected on first use (never where the server is unavailable). */
    protected final synchronized EventStoreDBClient client() {
        if (client == null) {
            client = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        }
        return client;
    }

    @AfterEach
    void stopSubscriptions() {
        subscriptions.forEach(Subscription::stop);
        subscriptions.clear();
    }

    @AfterAll
    void shutDownClient() throws Exception {
        if (client != null) {
            client.shutdown().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** A new stream ({@link ContractSupport#newStream}) holding {@code count} numbered events, written at once. */
    protected String streamWith(String label, String typePrefix, int count) {
        String stream = newStream(label);
        append(stream, ExpectedRevision.noStream(), numbered(typePrefix, count));
        return stream;
    }

    protected WriteResult append(String stream, ExpectedRevision expected, EventData... events) {
        return result(
                client().appendToStream(stream, AppendToStreamOptions.get().expectedRevision(expected), events));
    }

    protected Throwable appendFailure(String stream, ExpectedRevision expected, EventData... events) {
        return failure(
                client().appendToStream(stream, AppendToStreamOptions.get().expectedRevision(expected), events));
    }

    protected ReadResult readStream(String stream, ReadStreamOptions options) {
        return result(client().readStream(stream, options));
    }

    protected Throwable readFailure(String stream, ReadStreamOptions options) {
        return failure(client().readStream(stream, options));
    }

    /** How reading {@code stream} fails: forwards from the start, then backwards from the end. */
    protected List<Throwable> failedReads(String stream) {
        return List.of(
                readFailure(stream, ReadStreamOptions.get().forwards()),
                readFailure(stream, ReadStreamOptions.get().backwards().fromEnd()));
    }

    /** Asserts the revisions, in order, of the events a read of {@code stream} returns. */
    protected void assertRevisions(String stream, ReadStreamOptions options, Long... expected) {
        assertThat(revisions(readStream(stream, options))).containsExactly(expected);
    }

    protected ReadResult readAll(ReadAllOptions options) {
        return result(client().readAll(options));
    }

    /** Up to {@code maxCount} events of {@code $all}, forwards from a position (the event there included). */
    protected List<ResolvedEvent> readAllForwards(Position from, long maxCount) {
        return readAll(ReadAllOptions.get().forwards().fromPosition(from).maxCount(maxCount))
                .getEvents();
    }

    protected Subscription subscribe(String stream, Recorder recorder, SubscribeToStreamOptions options) {
        Subscription subscription = result(client().subscribeToStream(stream, recorder, options));
        subscriptions.add(subscription);
        return subscription;
    }

    /** A new recorder of every event, subscribed to {@code stream}. */
    protected Recorder subscribed(String stream, SubscribeToStreamOptions options) {
        Recorder recorder = new Recorder();
        subscribe(stream, recorder, options);
        return recorder;
    }

    /** A new recorder of the events of {@code stream}, subscribed to {@code $all}. */
    protected Recorder subscribedToAll(String stream, SubscribeToAllOptions options) {
        Recorder recorder = new Recorder(ContractSupport.in(stream));
        subscribeToAll(recorder, options);
        return recorder;
    }

    protected Subscription subscribeToAll(Recorder recorder, SubscribeToAllOptions options) {
        Subscription subscription = result(client().subscribeToAll(recorder, options));
        subscriptions.add(subscription);
        return subscription;
    }

    /** Writes an event to a stream of its own and returns its position: "from here on" for $all. */
    protected Position startMarker() {
        return append(newStream("marker"), ExpectedRevision.noStream(), json("marker"))
                .getLogPosition();
    }

    protected List<Position> positions(String stream) {
        return recorded(readStream(stream, ReadStreamOptions.get())).stream()
                .map(RecordedEvent::getPosition)
                .toList();
    }
}
