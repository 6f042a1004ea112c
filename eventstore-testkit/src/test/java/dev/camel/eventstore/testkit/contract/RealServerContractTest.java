package dev.camel.eventstore.testkit.contract;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The contract, every family, against a real EventStoreDB in a container: what keeps the testkit honest. Every test is skipped (not
 * failed) where no Docker engine is available.
 *
 * <p>The image comes from the system property {@code eventstore.image} (default {@value #DEFAULT_IMAGE}), run as an
 * insecure single node with an in-memory database and no projections. KurrentDB images speak the same protocol but
 * read {@code KURRENTDB_*} settings, which are set too.
 */
class RealServerContractTest {
    static final String DEFAULT_IMAGE = "eventstore/eventstore:24.10";
    private static final int PORT = 2113;

    @RegisterExtension
    static final ServerUnderTest SERVER = new ServerUnderTest(
            RealServerContractTest::start, "No Docker engine available: the real-server contract is skipped");

    /** A started container, or {@code null} where no Docker engine is available. */
    private static ServerUnderTest.Running start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return null;
        }
        String image = System.getProperty("eventstore.image", DEFAULT_IMAGE);
        GenericContainer<?> started = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(PORT)
                .withEnv("EVENTSTORE_INSECURE", "true")
                .withEnv("EVENTSTORE_CLUSTER_SIZE", "1")
                .withEnv("EVENTSTORE_MEM_DB", "true")
                .withEnv("EVENTSTORE_RUN_PROJECTIONS", "None")
                .withEnv("KURRENTDB_INSECURE", "true")
                .withEnv("KURRENTDB_CLUSTER_SIZE", "1")
                .withEnv("KURRENTDB_MEM_DB", "true")
                .withEnv("KURRENTDB_RUN_PROJECTIONS", "None")
                .waitingFor(Wait.forHttp("/health/live")
                        .forPort(PORT)
                        .forStatusCodeMatching(code -> code >= 200 && code < 300)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        started.start();
        return new ServerUnderTest.Running(
                "esdb://" + started.getHost() + ":" + started.getMappedPort(PORT) + "?tls=false", started::stop);
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
