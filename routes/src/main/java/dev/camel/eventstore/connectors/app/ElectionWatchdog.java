package dev.camel.eventstore.connectors.app;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this replica in every connector's ZooKeeper election. Camel's ZooKeeper view uses Curator's {@code
 * LeaderSelector} without automatic requeueing: a leader that loses its connection (ZooKeeper restarted, a network
 * cut) gives up its leadership and a standby whose wait fails on a lost connection stops waiting, and neither takes
 * part again, so after an outage of the coordination service a replica would stand by for ever. Worse, a leader
 * whose view could not tell it so (ZooKeeper was down when it gave up) goes on running its connectors. Every second
 * this finds the connectors whose election no longer lists this replica and makes it rejoin, through the cluster
 * service's own {@code stopView}/{@code startView}: stopping the view stops such a connector, and starting it
 * queues the replica again. The checkpoint's fencing covers the seconds in between.
 */
final class ElectionWatchdog extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ElectionWatchdog.class);

    private final CamelContext context;
    private final CamelClusterService service;
    private static final long PERIOD_MILLIS = 1000;

    private final ConnectorLeadership leadership;
    private ScheduledExecutorService thread;

    ElectionWatchdog(CamelContext context, CamelClusterService service, ConnectorLeadership leadership) {
        this.context = context;
        this.service = service;
        this.leadership = leadership;
    }

    @Override
    protected void doStart() {
        thread = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "ConnectorElection");
        thread.scheduleWithFixedDelay(this::check, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (thread != null) {
            context.getExecutorServiceManager().shutdownNow(thread);
            thread = null;
        }
    }

    private void check() {
        for (String connector : leadership.connectorIds()) {
            try {
                if (leftTheElection(connector)) {
                    LOG.info(
                            "Connector '{}': this replica ('{}') had left the election after a lost ZooKeeper"
                                    + " connection; it rejoins",
                            connector,
                            service.getId());
                    service.stopView(connector);
                    service.startView(connector);
                }
            } catch (Exception e) {
                // ZooKeeper unreachable: the next round looks again
                LOG.debug("Could not check the election of connector '{}': {}", connector, e.toString());
            }
        }
    }

    private boolean leftTheElection(String connector) throws Exception {
        CamelClusterView view = service.getView(connector);
        try {
            return !view.getLocalMember().isLeader()
                    && view.getMembers().stream().noneMatch(m -> service.getId().equals(m.getId()));
        } finally {
            service.releaseView(view);
        }
    }
}
