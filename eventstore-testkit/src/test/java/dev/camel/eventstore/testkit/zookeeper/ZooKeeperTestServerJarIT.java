package dev.camel.eventstore.testkit.zookeeper;

import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged ZooKeeper jar, run as docs/testkit.md documents it ({@code java -jar
 * eventstore-testkit/target/eventstore-testkit-zookeeper.jar --port 2181 [--data-dir <dir>]}, on a free port): what
 * the shade plugin left in or out of the jar is a ZooKeeper server the real Curator client works with.
 */
class ZooKeeperTestServerJarIT {
    static final Path JAR = Path.of("target", "eventstore-testkit-zookeeper.jar");

    @Test
    void curatorCreatesAndReadsAZnodeThroughThePrintedConnectString(@TempDir Path temp) throws Exception {
        ZooKeeperChecks.servesCuratorUntilTerminated(
                temp, args -> JavaProcess.startJar(temp, Map.of(), List.of("-Xmx256m"), JAR, args));
    }
}
