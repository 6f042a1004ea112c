package dev.camel.eventstore.testkit.contract;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract, every family, against the in-process testkit server: one server for all, as a real one would be. */
class TestkitContractTest {
    @RegisterExtension
    static final ServerUnderTest SERVER = new ServerUnderTest(TestkitContractTest::start, "never unavailable");

    private static ServerUnderTest.Running start() {
        EventStoreTestServer server = EventStoreTestServer.startDefault();
        return new ServerUnderTest.Running(server.connectionString(), server::close);
    }

    @Nested
    class Appends extends AppendContract {}

    @Nested
    class Reads extends ReadContract {}

    @Nested
    class Metadata extends MetadataContract {}

    @Nested
    class Deletes extends DeleteContract {}

    @Nested
    class Subscriptions extends SubscriptionContract {}

    @Nested
    class Filters extends FilterContract {}

    @Nested
    class Links extends LinkContract {}
}
