package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Kamelets as packaged ({@code kamelets/} on the class path): their format, the properties and options they
 * use, the defaults they declare (the component's, from its generated metadata) and the version they name (the
 * build's).
 */
class KameletDefinitionTest {
    private static final List<String> KAMELETS = List.of("eventstore-source", "eventstore-sink");

    /**
     * Each Kamelet follows the Kamelet format, keeps its connection string and password secret, and declares every
     * property its template uses; every endpoint option the template sets is an option of the eventstore: endpoint
     * (an optional one that is misspelled would otherwise go unnoticed until someone sets it).
     */
    @Test
    void theKameletsDeclareWhatTheirTemplatesUseAndSetOnlyEndpointOptions() throws Exception {
        CamelContext binding = new DefaultCamelContext();
        for (String name : List.of("eventstore-source", "eventstore-sink")) {
            Map<String, Object> kamelet = loadKamelet(name);
            assertThat(kamelet)
                    .containsEntry("apiVersion", "camel.apache.org/v1")
                    .containsEntry("kind", "Kamelet");
            Map<String, Object> metadata = map(kamelet.get("metadata"));
            assertThat(metadata).containsEntry("name", name);
            assertThat(map(metadata.get("labels")))
                    .containsEntry("camel.apache.org/kamelet.type", name.endsWith("source") ? "source" : "sink");
            Map<String, Object> spec = map(kamelet.get("spec"));
            Map<String, Object> definition = map(spec.get("definition"));
            Map<String, Object> properties = map(definition.get("properties"));
            assertThat(map(properties.get("connectionString")))
                    .containsEntry("format", "password")
                    .extractingByKey("x-descriptors", InstanceOfAssertFactories.LIST)
                    .contains("urn:camel:group:credentials");
            assertThat(map(properties.get("password"))).containsEntry("format", "password");
            assertThat(definition.get("required"))
                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                    .contains("connectionString");

            Map<String, Object> endpoint = endpointOf(map(spec.get("template")), name);
            String uri = (String) endpoint.get("uri");
            Set<String> used = placeholders(uri);
            Map<String, Object> parameters = map(endpoint.get("parameters"));
            parameters.values().forEach(value -> used.addAll(placeholders(String.valueOf(value))));
            assertThat(properties.keySet())
                    .as(name + " declares every property it uses")
                    .containsAll(used);
            assertThat(used).as(name + " uses every property it declares").containsAll(properties.keySet());

            Set<String> options = new LinkedHashSet<>(parameters.keySet());
            Matcher query = Pattern.compile("[?&]([^=&]+)=").matcher(uri);
            while (query.find()) {
                options.add(query.group(1));
            }
            for (String option : options) {
                assertThat(PropertyBindingSupport.build()
                                .withIgnoreCase(false)
                                .bind(binding, new EventStoreConfiguration(), option, sampleValue(option)))
                        .as(name + ": " + option + " is an eventstore: endpoint option")
                        .isTrue();
            }
        }
    }

    @Test
    void theKameletsNameTheComponentAtTheVersionOfTheBuild() throws Exception {
        String version = System.getProperty("project.version");
        assertThat(version).as("the build passes project.version").isNotBlank();
        for (String name : KAMELETS) {
            Map<String, Object> spec = map(loadKamelet(name).get("spec"));
            assertThat(spec.get("dependencies"))
                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                    .contains("mvn:dev.camel.eventstore:camel-eventstore:" + version);
            try (InputStream in =
                    KameletDefinitionTest.class.getResourceAsStream("/kamelets/" + name + ".kamelet.yaml")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .as(name + " is filtered")
                        .doesNotContain("${");
            }
        }
    }

    /**
     * A Kamelet property's default is the default of the eventstore: option it sets, as the component's generated
     * metadata gives it; where the option has none (the stream), the connector templates' default of that setting.
     */
    @Test
    void eachKameletDefaultIsTheDefaultOfTheOptionItSets() throws Exception {
        JsonNode options;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/dev/camel/eventstore/eventstore.json")) {
            options = new ObjectMapper().readTree(in).get("properties");
        }
        for (String name : KAMELETS) {
            Map<String, Object> spec = map(loadKamelet(name).get("spec"));
            Map<String, Object> properties = map(map(spec.get("definition")).get("properties"));
            Map<String, Object> endpoint = endpointOf(map(spec.get("template")), name);
            Map<String, String> optionOf = new java.util.HashMap<>();
            placeholders((String) endpoint.get("uri")).forEach(p -> optionOf.put(p, "stream"));
            map(endpoint.get("parameters")).forEach((option, value) -> placeholders(String.valueOf(value))
                    .forEach(p -> optionOf.put(p, option)));
            properties.forEach((property, definition) -> {
                Object kameletDefault = map(definition).get("default");
                if (kameletDefault == null) {
                    return;
                }
                String option = optionOf.get(property);
                assertThat(option)
                        .as(name + ": " + property + " sets an option")
                        .isNotNull();
                JsonNode optionDefault = options.path(option).get("defaultValue");
                String expected = optionDefault != null
                        ? optionDefault.asText()
                        : ConnectorTemplates.COMMON.stream()
                                .filter(p -> p.name().equals(property))
                                .map(ConnectorTemplates.Parameter::defaultValue)
                                .findFirst()
                                .orElse(null);
                assertThat(String.valueOf(kameletDefault))
                        .as(name + ": the default of " + property)
                        .isEqualTo(expected);
            });
        }
        assertThat(EventStoreConfiguration.DEFAULT_INITIAL_POSITION).isEqualTo("earliest");
    }

    static Map<String, Object> loadKamelet(String name) throws IOException {
        try (InputStream in = KameletDefinitionTest.class.getResourceAsStream("/kamelets/" + name + ".kamelet.yaml")) {
            assertThat(in).as(name + " on the classpath").isNotNull();
            return map(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
        }
    }

    /** The endpoint the template reads from (a source) or writes to (a sink). */
    static Map<String, Object> endpointOf(Map<String, Object> template, String name) {
        Map<String, Object> from = map(template.get("from"));
        if (name.endsWith("source")) {
            assertThat(from.get("uri")).asString().startsWith("eventstore:");
            assertThat(from.get("steps"))
                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                    .last()
                    .isEqualTo(Map.of("to", "kamelet:sink"));
            return from;
        }
        assertThat(from).containsEntry("uri", "kamelet:source");
        List<?> steps = (List<?>) from.get("steps");
        Map<String, Object> to = map(map(steps.get(steps.size() - 1)).get("to"));
        assertThat(to.get("uri")).asString().startsWith("eventstore:");
        return to;
    }

    static Set<String> placeholders(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\{\\{\\??([^}:]+)(:[^}]*)?}}").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Object sampleValue(String option) {
        return switch (option) {
            case "excludeSystemEvents", "resolveLinkTos" -> "true";
            case "maxInFlight", "retryInitialDelay", "retryMaxDelay", "retryMaxAttempts" -> "1";
            case "failedExchangeAction" -> "STOP";
            default -> "x";
        };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
