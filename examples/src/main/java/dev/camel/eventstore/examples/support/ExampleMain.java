package dev.camel.eventstore.examples.support;

import java.util.Map;
import org.apache.camel.main.Main;

/** The camel-main applications of the examples: configured by their properties file and the services found. */
public final class ExampleMain {
    private ExampleMain() {}

    /**
     * A camel-main application, not yet run, configured by a properties file with some of its values overridden.
     *
     * @param propertiesLocation such as {@code classpath:javadsl/application.properties}, instead of the default
     *     {@code application.properties} (the jar holds several applications)
     * @param overrides the addresses of the services, as {@link ExampleService} found them
     */
    public static Main create(String propertiesLocation, Map<String, String> overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(propertiesLocation);
        overrides.forEach(main::addOverrideProperty);
        // ExampleService read the environment already. Camel would read ESDB_CONNECTION_STRING for
        // {{esdb.connection-string}} too, before the overrides: an empty variable would become an empty connection
        // string instead of the in-process server's. Variables are only a fallback here.
        main.addInitialProperty("camel.component.properties.environmentVariableMode", "1");
        return main;
    }
}
