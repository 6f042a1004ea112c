package dev.camel.eventstore.connectors.app;

import dev.camel.eventstore.client.ClientFailures;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the application's connectors highly available: with {@code connectors.cluster.service} set, it adds the
 * coordination service as the CamelContext's {@link CamelClusterService} and puts every {@code eventstore:} route
 * under {@link ConnectorLeadership}, so that each connector runs on one replica at a time, its id being its
 * leadership namespace.
 */
final class ConnectorCluster {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorCluster.class);
    /** How long startup waits for the Kubernetes API server to answer. */
    private static final long PROBE_TIMEOUT_MILLIS = 5000;

    private ConnectorCluster() {}

    /**
     * Reads the cluster settings and, unless the service is {@code none}, sets the context up for them.
     *
     * @return the connectors' leadership, or {@code null} when the application is not clustered
     */
    static ConnectorLeadership configure(CamelContext context) throws Exception {
        ClusterSettings settings = ClusterSettings.read(context.getPropertiesComponent());
        if (!settings.clustered()) {
            return null;
        }
        CamelClusterService service = service(settings);
        service.setId(settings.memberId());
        context.addService(service);
        ConnectorLeadership leadership = new ConnectorLeadership(settings);
        // in this order: the log policy is made for the routes the election policy was made for
        context.addRoutePolicyFactory(leadership);
        context.addRoutePolicyFactory(leadership.logs());
        if (settings.service() == ClusterSettings.Service.ZOOKEEPER) {
            context.addService(new ElectionWatchdog(context, service, leadership), true, true);
        }
        LOG.info(
                "Connectors run on one replica at a time, elected through {} (this replica: '{}')",
                describe(settings),
                settings.memberId());
        return leadership;
    }

    private static CamelClusterService service(ClusterSettings settings) throws Exception {
        return switch (settings.service()) {
            case ZOOKEEPER -> zookeeper(settings);
            case FILE -> file(settings);
            case KUBERNETES -> kubernetes(settings);
            case NONE -> throw new IllegalStateException("not clustered");
        };
    }

    private static CamelClusterService zookeeper(ClusterSettings settings) throws InterruptedException {
        checkReachable(settings);
        ZooKeeperClusterService service = new ZooKeeperClusterService();
        service.setNodes(settings.zookeeperNodes());
        service.setBasePath(settings.zookeeperBasePath());
        service.setSessionTimeout(settings.zookeeperSessionTimeout());
        service.setConnectTimeout(settings.zookeeperConnectionTimeout());
        return service;
    }

    /**
     * Fails startup when ZooKeeper cannot be reached: Camel's service would otherwise start and keep retrying
     * quietly, and no replica would ever deliver.
     */
    private static void checkReachable(ClusterSettings settings) throws InterruptedException {
        try (CuratorFramework probe = CuratorFrameworkFactory.newClient(
                settings.zookeeperNodes(),
                (int) settings.zookeeperSessionTimeout(),
                (int) settings.zookeeperConnectionTimeout(),
                new RetryOneTime(100))) {
            probe.start();
            if (!probe.blockUntilConnected((int) settings.zookeeperConnectionTimeout(), TimeUnit.MILLISECONDS)) {
                throw ClusterSettings.invalid(
                        "zookeeper.nodes",
                        "names no ZooKeeper that answers: '" + settings.zookeeperNodes() + "' did not accept a"
                                + " session within " + settings.zookeeperConnectionTimeout() + " ms"
                                + " (connectors.cluster.zookeeper.connectionTimeout)");
            }
        }
    }

    private static CamelClusterService file(ClusterSettings settings) {
        Path root = Path.of(settings.fileRoot());
        try {
            Files.createDirectories(root);
        } catch (IOException | RuntimeException e) {
            throw ClusterSettings.invalid("file.root", "cannot be created: " + e);
        }
        if (!Files.isWritable(root)) {
            throw ClusterSettings.invalid("file.root", "is not a writable directory: " + root.toAbsolutePath());
        }
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(root.toAbsolutePath().toString());
        service.setAcquireLockInterval(settings.fileAcquireLockInterval(), TimeUnit.MILLISECONDS);
        // a replica starting next to a running one waits one interval, not Camel's default second
        service.setAcquireLockDelay(settings.fileAcquireLockInterval(), TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(settings.fileHeartbeatTimeoutMultiplier());
        return service;
    }

    /**
     * The API server goes in a {@link KubernetesConfiguration}: Camel's service applies its own {@code setMasterUrl}
     * and {@code setNamespace} only on top of a configuration given to it, and without one connects to the default
     * in-cluster address. The namespace of the Leases and of the Pods that may hold them is set as such: Camel's
     * client ignores the configuration's namespace when no API server is named. Unset, the client finds both (the
     * pod's service account and namespace, or the kubeconfig).
     */
    private static CamelClusterService kubernetes(ClusterSettings settings) {
        checkReachable(settings.kubernetesMasterUrl(), settings.kubernetesNamespace());
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setMasterUrl(settings.kubernetesMasterUrl());
        configuration.setNamespace(settings.kubernetesNamespace());
        KubernetesClusterService service = new KubernetesClusterService(configuration);
        service.setKubernetesResourcesNamespace(settings.kubernetesNamespace());
        service.setPodName(settings.memberId());
        service.setLeaseDurationMillis(settings.kubernetesLeaseDuration());
        service.setRenewDeadlineMillis(settings.kubernetesRenewDeadline());
        service.setRetryPeriodMillis(settings.kubernetesRetryPeriod());
        return service;
    }

    /**
     * Fails startup when the API server does not answer, or does not let this replica read Leases: Camel's service
     * would otherwise start and warn at every retry period, and no replica would ever deliver.
     */
    private static void checkReachable(String masterUrl, String namespace) {
        Config config = masterUrl == null
                ? Config.autoConfigure(null)
                : new ConfigBuilder().withMasterUrl(masterUrl).build();
        config.setConnectionTimeout((int) PROBE_TIMEOUT_MILLIS);
        config.setRequestTimeout((int) PROBE_TIMEOUT_MILLIS);
        config.setRequestRetryBackoffLimit(0);
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            String ns = namespace != null ? namespace : client.getNamespace();
            client.leases().inNamespace(ns).list();
        } catch (RuntimeException e) {
            throw ClusterSettings.invalid(
                    masterUrl == null ? "kubernetes.namespace" : "kubernetes.masterUrl",
                    "leads to no Kubernetes API server that lets this replica read Leases ("
                            + (masterUrl == null ? "the in-cluster API server" : "'" + masterUrl + "'") + "): "
                            + ClientFailures.unwrap(e));
        }
    }

    private static String describe(ClusterSettings settings) {
        return switch (settings.service()) {
            case ZOOKEEPER ->
                "ZooKeeper at " + settings.zookeeperNodes() + " (session timeout " + settings.zookeeperSessionTimeout()
                        + " ms)";
            case FILE ->
                "file locks under " + settings.fileRoot() + " (heartbeat every " + settings.fileAcquireLockInterval()
                        + " ms)";
            case KUBERNETES -> "Kubernetes Leases (lease duration " + settings.kubernetesLeaseDuration() + " ms)";
            case NONE -> "nothing";
        };
    }
}
