package dev.camel.eventstore.connectors.app;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The {@code connectors.cluster.*} settings of the connectors application: which coordination service elects the
 * replica that runs each connector, and the timings that decide how fast a standby takes over. Every default is a
 * constant here; docs/high-availability.md lists them. Each invalid value fails startup with a message naming the
 * setting.
 */
record ClusterSettings(
        Service service,
        String memberId,
        String zookeeperNodes,
        String zookeeperBasePath,
        long zookeeperSessionTimeout,
        long zookeeperConnectionTimeout,
        String fileRoot,
        long fileAcquireLockInterval,
        int fileHeartbeatTimeoutMultiplier,
        String kubernetesNamespace,
        String kubernetesMasterUrl,
        long kubernetesLeaseDuration,
        long kubernetesRenewDeadline,
        long kubernetesRetryPeriod) {

    static final String PREFIX = "connectors.cluster.";

    /**
     * ZooKeeper's session timeout in ms: a killed replica's leadership ends when its session expires. With the
     * defaults below a standby delivers again within about 7 s (docs/high-availability.md has the measurements).
     */
    static final long DEFAULT_ZOOKEEPER_SESSION_TIMEOUT = 5000;

    static final long DEFAULT_ZOOKEEPER_CONNECTION_TIMEOUT = 5000;
    static final String DEFAULT_ZOOKEEPER_BASE_PATH = "/eventstore-connectors";
    /** How often the file lock's holder writes its heartbeat and followers look at it, in ms. */
    static final long DEFAULT_FILE_ACQUIRE_LOCK_INTERVAL = 1000;
    /** Followers consider the holder gone after this many missed heartbeats. */
    static final int DEFAULT_FILE_HEARTBEAT_TIMEOUT_MULTIPLIER = 3;
    /** Kubernetes Lease timings in ms: a standby takes a Lease its holder has not renewed for leaseDuration. */
    static final long DEFAULT_KUBERNETES_LEASE_DURATION = 6000;

    static final long DEFAULT_KUBERNETES_RENEW_DEADLINE = 4000;
    static final long DEFAULT_KUBERNETES_RETRY_PERIOD = 1000;

    /** The coordination services, as {@code connectors.cluster.service} names them. */
    enum Service {
        NONE,
        ZOOKEEPER,
        KUBERNETES,
        FILE;

        String settingValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reads and checks the settings from the application's properties (environment variables included). */
    static ClusterSettings read(PropertiesComponent properties) {
        Reader r = new Reader(properties);
        Service service = r.service();
        return new ClusterSettings(
                        service,
                        r.text("id").orElseGet(() -> defaultMemberId(service)),
                        service == Service.ZOOKEEPER ? r.required("zookeeper.nodes", service) : null,
                        r.text("zookeeper.basePath").orElse(DEFAULT_ZOOKEEPER_BASE_PATH),
                        r.millis("zookeeper.sessionTimeout", DEFAULT_ZOOKEEPER_SESSION_TIMEOUT),
                        r.millis("zookeeper.connectionTimeout", DEFAULT_ZOOKEEPER_CONNECTION_TIMEOUT),
                        service == Service.FILE ? r.required("file.root", service) : null,
                        r.millis("file.acquireLockInterval", DEFAULT_FILE_ACQUIRE_LOCK_INTERVAL),
                        (int) r.positive("file.heartbeatTimeoutMultiplier", DEFAULT_FILE_HEARTBEAT_TIMEOUT_MULTIPLIER),
                        r.text("kubernetes.namespace").orElse(null),
                        r.text("kubernetes.masterUrl").orElse(null),
                        r.millis("kubernetes.leaseDuration", DEFAULT_KUBERNETES_LEASE_DURATION),
                        r.millis("kubernetes.renewDeadline", DEFAULT_KUBERNETES_RENEW_DEADLINE),
                        r.millis("kubernetes.retryPeriod", DEFAULT_KUBERNETES_RETRY_PERIOD))
                .checked();
    }

    boolean clustered() {
        return service != Service.NONE;
    }

    private ClusterSettings checked() {
        if (service == Service.KUBERNETES && kubernetesRenewDeadline >= kubernetesLeaseDuration) {
            throw invalid(
                    "kubernetes.renewDeadline",
                    "must be shorter than connectors.cluster.kubernetes.leaseDuration (" + kubernetesLeaseDuration
                            + " ms), got " + kubernetesRenewDeadline + " ms");
        }
        if (service == Service.KUBERNETES && kubernetesRetryPeriod >= kubernetesRenewDeadline) {
            throw invalid(
                    "kubernetes.retryPeriod",
                    "must be shorter than connectors.cluster.kubernetes.renewDeadline (" + kubernetesRenewDeadline
                            + " ms), got " + kubernetesRetryPeriod + " ms");
        }
        return this;
    }

    /**
     * On Kubernetes the pod's name, which the Lease names and Camel checks against the running pods; elsewhere the
     * host name and process id: unique among replicas, and readable in logs and health output.
     */
    static String defaultMemberId(Service service) {
        String podName = System.getenv("HOSTNAME");
        if (service == Service.KUBERNETES && podName != null && !podName.isBlank()) {
            return podName;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "replica";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    static IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException("Invalid cluster setting '" + PREFIX + name + "': it " + problem);
    }

    /** Typed access to {@code connectors.cluster.*}; a blank value counts as absent. */
    private record Reader(PropertiesComponent properties) {
        Optional<String> text(String name) {
            return properties.resolveProperty(PREFIX + name).map(String::trim).filter(v -> !v.isEmpty());
        }

        Service service() {
            String value = text("service").orElse("none");
            try {
                return Service.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(
                        "service",
                        "must be one of "
                                + Arrays.stream(Service.values())
                                        .map(Service::settingValue)
                                        .collect(Collectors.joining(", "))
                                + ", got '" + value + "'");
            }
        }

        String required(String name, Service service) {
            return text(name)
                    .orElseThrow(
                            () -> invalid(name, "is required when " + PREFIX + "service is " + service.settingValue()));
        }

        long millis(String name, long defaultValue) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            long parsed;
            try {
                parsed = TimeUtils.toMilliSeconds(value.get());
            } catch (RuntimeException e) {
                throw invalid(name, "must be a duration (5000, 5s, 1m30s), got '" + value.get() + "'");
            }
            if (parsed <= 0) {
                throw invalid(name, "must be greater than 0, got '" + value.get() + "'");
            }
            return parsed;
        }

        long positive(String name, long defaultValue) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            try {
                long parsed = Long.parseLong(value.get());
                if (parsed > 0 && parsed <= Integer.MAX_VALUE) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // the message below says what is expected
            }
            throw invalid(name, "must be a whole number greater than 0, got '" + value.get() + "'");
        }
    }
}
