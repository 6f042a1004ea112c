package dev.camel.eventstore.connectors.app;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A connector's role on this replica, {@code connector:<id>}: always UP, since a standby is as healthy as the
 * active replica (and on Kubernetes only ready pods may take a Lease), with the message {@code active} or {@code
 * standby} and the details {@code role} and {@code replica}. The consumer's own check says how the active one fares.
 */
final class ConnectorRoleHealthCheck extends AbstractHealthCheck {
    private final ConnectorLeadership leadership;
    private final String routeId;
    private final String memberId;

    ConnectorRoleHealthCheck(ConnectorLeadership leadership, String routeId, String memberId) {
        super("connectors", "connector:" + routeId);
        this.leadership = leadership;
        this.routeId = routeId;
        this.memberId = memberId;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String role = Boolean.TRUE.equals(leadership.isActive(getCamelContext(), routeId)) ? "active" : "standby";
        builder.detail("role", role);
        builder.detail("replica", memberId);
        builder.message(role);
        builder.up();
    }
}
