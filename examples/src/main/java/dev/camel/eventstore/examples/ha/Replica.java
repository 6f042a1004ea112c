package dev.camel.eventstore.examples.ha;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/**
 * Who this replica is and where the replicas elect their leader: the command's arguments {@code [replica id [cluster
 * root]]}, else the variables {@value #ID_VARIABLE} and {@value #ROOT_VARIABLE}, else {@code replica-<pid>} and
 * {@code <java.io.tmpdir>/camel-eventstore-ha-example}. Every replica must be given the same root directory, and
 * each its own id.
 */
public record Replica(String id, Path root) {
    /** The variable naming this replica, when no argument does. */
    public static final String ID_VARIABLE = "HA_REPLICA_ID";

    /** The variable naming the directory, shared by the replicas, that holds the file locks. */
    public static final String ROOT_VARIABLE = "HA_CLUSTER_ROOT";

    /** The replica the command line and the environment describe. */
    public static Replica from(String[] args, Map<String, String> environment) {
        String id = args.length > 0 ? args[0] : environment.get(ID_VARIABLE);
        String root = args.length > 1 ? args[1] : environment.get(ROOT_VARIABLE);
        return new Replica(
                isBlank(id) ? "replica-" + ProcessHandle.current().pid() : id.trim(),
                isBlank(root)
                        ? Path.of(System.getProperty("java.io.tmpdir"), "camel-eventstore-ha-example")
                        : Path.of(root.trim()));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** The properties the routes read: {@code ha.replica-id} and {@code ha.cluster-root}. */
    public Map<String, String> properties() {
        return Map.of(
                "ha.replica-id", id, "ha.cluster-root", root.toAbsolutePath().toString());
    }

    /**
     * The cluster service electing this replica through file locks under {@link #root()}: the leader refreshes its
     * lock every second, and another replica takes over once it has not for three seconds (Camel's defaults, 10 s
     * and five times that, make the demonstration slow).
     */
    public FileLockClusterService clusterService() {
        FileLockClusterService service = new FileLockClusterService();
        service.setId(id);
        service.setRoot(root.toAbsolutePath().toString());
        service.setAcquireLockInterval(1, TimeUnit.SECONDS);
        service.setAcquireLockDelay(1, TimeUnit.SECONDS);
        service.setHeartbeatTimeoutMultiplier(3);
        return service;
    }
}
