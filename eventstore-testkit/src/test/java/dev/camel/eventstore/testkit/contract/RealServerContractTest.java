package dev.camel.eventstore.testkit.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The contract against a real EventStoreDB in a container: what keeps the testkit honest. Every test is skipped (not
 * failed) where no Docker engine is available.
 *
 * <p>The image comes from the system property {@code eventstore.image} (default {@value #DEFAULT_IMAGE}), run as an
 * insecure single node with an in-memory database and no projections. KurrentDB images speak the same protocol but
 * read {@code KURRENTDB_*} settings, which are set too.
 */
class RealServerContractTest extends EventStoreContract {
    static final String DEFAULT_IMAGE = "eventstore/eventstore:24.10";
    private static final int PORT = 2113;

    private static GenericContainer<?> container;

    @BeforeAll
    static void startContainer() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            // every test then reports as skipped, through the assumption in requireDocker()
            return;
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
        container = started;
    }

    @BeforeEach
    void requireDocker() {
        assumeTrue(container != null, "No Docker engine available: the real-server contract is skipped");
    }

    @AfterAll
    static void stopContainer() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    @Override
    protected String connectionString() {
        return "esdb://" + container.getHost() + ":" + container.getMappedPort(PORT) + "?tls=false";
    }
}
