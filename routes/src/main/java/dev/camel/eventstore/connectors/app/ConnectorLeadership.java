package dev.camel.eventstore.connectors.app;

import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each connector (every route consuming from {@code eventstore:}) under Camel's {@link ClusteredRoutePolicy}
 * with the connector's id as its leadership namespace: the route runs only on the replica elected for it, and a
 * standby starts it, loading the stored checkpoint, once elected. Logs every gain and loss of leadership, and tells
 * the metrics and the health check which connectors are active here.
 */
final class ConnectorLeadership implements RoutePolicyFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorLeadership.class);

    private final ClusterSettings settings;
    /** By connector id, the policy electing its replica. */
    private final Map<String, ClusteredRoutePolicy> policies = new ConcurrentHashMap<>();

    ConnectorLeadership(ClusterSettings settings) {
        this.settings = settings;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode node) {
        if (!(node instanceof RouteDefinition route) || !isConnector(route)) {
            return null;
        }
        try {
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(context, routeId);
            policies.put(routeId, policy);
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry != null) {
                registry.register(new ConnectorRoleHealthCheck(this, routeId, settings.memberId()));
            }
            return policy;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot put connector '" + routeId + "' under leadership election", e);
        }
    }

    /** A second factory: the log line of each connector this one elects for. */
    RoutePolicyFactory logs() {
        return (context, routeId, node) -> {
            ClusteredRoutePolicy policy = policies.get(routeId);
            return policy == null ? null : new LeadershipLog(policy, settings.memberId());
        };
    }

    private static boolean isConnector(RouteDefinition route) {
        return route.getInput() != null
                && route.getInput().getEndpointUri() != null
                && route.getInput().getEndpointUri().startsWith("eventstore:");
    }

    /** The ids of the connectors under election: their leadership namespaces. */
    Set<String> connectorIds() {
        return policies.keySet();
    }

    /**
     * Whether the connector of {@code routeId} runs here: its route is started; {@code null} when it is under no
     * election. The route, not the policy's view of the election: Camel's ZooKeeper view can leave the policy
     * believing it leads for a moment after the election moved on (until {@link ElectionWatchdog} or the
     * checkpoint's fencing stops the route), and what users need to know is where events are delivered from.
     */
    Boolean isActive(CamelContext context, String routeId) {
        if (!policies.containsKey(routeId)) {
            return null;
        }
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
        return status != null && status.isStarted();
    }

    /**
     * A log line on every gain and loss of leadership: the clustered policy starts the route when this replica is
     * elected and stops it when it is deposed, so the route's start and stop are those changes. At a loss the line
     * holds the processed position; at a gain the consumer's next line names the position it resumes from.
     */
    private static final class LeadershipLog extends RoutePolicySupport {
        private final ClusteredRoutePolicy policy;
        private final String memberId;
        private volatile boolean started;

        LeadershipLog(ClusteredRoutePolicy policy, String memberId) {
            this.policy = policy;
            this.memberId = memberId;
        }

        @Override
        public void onStart(Route route) {
            started = true;
            LOG.info(
                    "Connector '{}' is active on this replica ('{}'): leadership gained, it resumes from its stored"
                            + " checkpoint",
                    route.getRouteId(),
                    memberId);
        }

        @Override
        public void onStop(Route route) {
            if (!started) {
                return;
            }
            started = false;
            SubscriptionPosition processed =
                    route.getConsumer() instanceof EventStoreConsumer c ? c.getProcessedPosition() : null;
            LOG.info(
                    "Connector '{}' stopped on this replica ('{}'): {}; processed position {}",
                    route.getRouteId(),
                    memberId,
                    policy.isLeader() ? "the replica stops" : "leadership lost, on standby",
                    processed == null ? "none" : processed);
        }
    }
}
