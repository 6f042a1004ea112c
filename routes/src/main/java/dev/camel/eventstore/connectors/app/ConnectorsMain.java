package dev.camel.eventstore.connectors.app;

import dev.camel.eventstore.connectors.ConnectorMessages;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The connectors application:
 *
 * <pre>
 * java -jar routes/target/eventstore-connectors.jar -pl file:connectors.properties
 * </pre>
 *
 * <p>Runs every connector the properties define ({@code camel.routeTemplate[<id>].templateId=eventstore-kafka-sink},
 * ...) and the YAML route files they point to ({@code camel.main.routesIncludePattern=file:connectors/*.yaml}).
 * Environment variables override {@code camel.main.*} keys ({@code CAMEL_MAIN_*}) and any value written as a
 * {@code {{placeholder}}}; {@code camel.routeTemplate[...]} keys have no variable of their own. Health and Prometheus metrics are served
 * by Camel's management server ({@code /observe/health}, {@code /observe/metrics}, port {@code
 * camel.management.port}, 8080 by default). Invalid configuration stops startup with a message naming the setting.
 */
public final class ConnectorsMain {
    private ConnectorsMain() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            // the application's own logging; a logback.xml on the classpath would impose it on applications that
            // embed the templates
            System.setProperty("logback.configurationFile", "eventstore-connectors-logback.xml");
        }
        Main main = create();
        int exitCode;
        try {
            exitCode = main.run(args);
        } catch (Exception e) {
            System.err.println("eventstore-connectors did not start: " + ConnectorMessages.rootMessage(e));
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    /**
     * A camel-main application with the connector templates, the connectors' defaults (health, metrics, management
     * server), the startup report and the per-connector metrics, not yet run: for applications such as the demo
     * that add their own properties or routes before {@link Main#run(String[])}.
     */
    public static Main create() {
        Main main = new Main(ConnectorsMain.class);
        defaults(main);
        main.configure().addRoutesBuilder(new ConnectorTemplates());
        main.addMainListener(new MainListenerSupport() {
            private ConnectorLeadership leadership;

            @Override
            public void beforeConfigure(BaseMainSupport main) {
                try {
                    leadership = ConnectorCluster.configure(main.getCamelContext());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport main) {
                LastExchangeGaugeGuard.addTo(main.getCamelContext());
            }

            @Override
            public void afterStart(BaseMainSupport main) {
                ConnectorReport.log(main.getCamelContext());
                ConnectorMetrics.register(main.getCamelContext(), leadership);
            }
        });
        return main;
    }

    /** Defaults the properties may override. */
    static void defaults(Main main) {
        main.addInitialProperty("camel.main.name", "eventstore-connectors");
        main.addInitialProperty("camel.main.shutdownTimeout", "30");
        main.addInitialProperty("camel.health.enabled", "true");
        main.addInitialProperty("camel.health.exposureLevel", "full");
        main.addInitialProperty("camel.metrics.enabled", "true");
        main.addInitialProperty("camel.management.enabled", "true");
        main.addInitialProperty("camel.management.healthCheckEnabled", "true");
        main.addInitialProperty("camel.management.metricsEnabled", "true");
    }
}
