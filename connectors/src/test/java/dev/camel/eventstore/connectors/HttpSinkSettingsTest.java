package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/**
 * Invalid HTTP connector settings fail when the connector is added, with a message naming the setting.
 */
class HttpSinkSettingsTest extends HttpConnectorTest {
    @Test
    void invalidSettingsAreNamed() throws Exception {
        CamelContext context = context();
        assertThat(failure(context, Map.of("url", "ftp://example.org/x")))
                .contains("Invalid connector setting 'url': it must be an http:// or https:// URL");
        assertThat(failure(context, Map.of("url", "http://user:pw@example.org/x")))
                .contains("Invalid connector setting 'url': it must not hold credentials")
                .doesNotContain("pw@");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "authMethod", "basic", "username", "u")))
                .contains("Invalid connector setting 'password': it is required");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "authMethod", "digest")))
                .contains("Invalid connector setting 'authMethod': it must be one of none, basic, bearer");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "method", "GET")))
                .contains("Invalid connector setting 'method'");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "successStatusCodes", "2xx")))
                .contains("Invalid connector setting 'successStatusCodes'");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "batchSize", "50", "maxInFlight", "10")))
                .contains("Invalid connector setting 'maxInFlight': it must be at least batchSize (50)");
        assertThat(failure(context, Map.of("url", "http://example.org/x", "sslTruststoreLocation", "/tmp/x.p12")))
                .contains("Invalid connector setting 'sslTruststoreLocation': it applies to https:// URLs only");
    }

    private static String failure(CamelContext context, Map<String, Object> settings) {
        String id = "invalid-" + STREAMS.incrementAndGet();
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> connector(context, id, "none-", settings)).satisfies(t -> thrown[0] = t);
        return ConnectorMessages.rootMessage(thrown[0]);
    }
}
