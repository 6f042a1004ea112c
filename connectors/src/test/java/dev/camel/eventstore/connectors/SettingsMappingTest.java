package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.processor.resume.kafka.KafkaResumeStrategyConfigurationBuilder;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * docs/connectors.md's table "What each setting becomes" maps every connector setting to the component option,
 * resume strategy property or sink endpoint option it is passed to, and says whether the template's default is that
 * option's: each row names a setting the template has and an option that exists in the component's generated
 * metadata (or the sink's Camel catalog JSON, or the strategy), every setting has its row, and "same" or "differs"
 * holds against the option's own default.
 */
class SettingsMappingTest {
    private static final Path DOC = Path.of("..", "docs", "connectors.md");
    private static final String HEADER = "| template | setting | becomes | default against it |";
    private static final Pattern ENDPOINT = Pattern.compile("`(eventstore|log|http|kafka):` option `(\\w+)`");
    private static final Pattern STRATEGY = Pattern.compile("resume strategy property `(\\w+)`");
    private static final Pattern KAFKA_STRATEGY = Pattern.compile("Kafka resume strategy `(\\w+)`");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, List<ConnectorTemplates.Parameter>> TEMPLATES = Map.of(
            "common", ConnectorTemplates.COMMON,
            "logger", ConnectorTemplates.LOGGER_PARAMETERS,
            "http", ConnectorTemplates.HTTP_PARAMETERS,
            "kafka", ConnectorTemplates.KAFKA_PARAMETERS);

    record Row(String template, String setting, String becomes, String defaultNote) {}

    @Test
    void everySettingHasOneRowNamingAnOptionThatExistsWithItsDefaultSaidRight() throws Exception {
        List<Row> rows = rows(Files.readString(DOC));
        Map<String, JsonNode> metadata = Map.of(
                "eventstore", catalog("META-INF/dev/camel/eventstore/eventstore.json"),
                "log", catalog("META-INF/org/apache/camel/component/log/log.json"),
                "http", catalog("META-INF/org/apache/camel/component/http/http.json"),
                "kafka", catalog("META-INF/org/apache/camel/component/kafka/kafka.json"));
        SoftAssertions soft = new SoftAssertions();
        Map<String, Row> byKey = new LinkedHashMap<>();
        for (Row row : rows) {
            soft.assertThat(byKey.put(row.template() + "/" + row.setting(), row))
                    .as("one row for %s %s", row.template(), row.setting())
                    .isNull();
        }
        TEMPLATES.forEach((template, parameters) -> {
            for (ConnectorTemplates.Parameter p : parameters) {
                Row row = byKey.remove(template + "/" + p.name());
                if (row == null) {
                    soft.fail("no row for %s setting %s", template, p.name());
                } else {
                    check(soft, row, p.defaultValue(), metadata);
                }
            }
        });
        soft.assertThat(byKey.keySet()).as("rows for settings no template has").isEmpty();
        soft.assertAll();
    }

    private static void check(SoftAssertions soft, Row row, String connectorDefault, Map<String, JsonNode> metadata) {
        Matcher endpoint = ENDPOINT.matcher(row.becomes());
        Matcher strategy = STRATEGY.matcher(row.becomes());
        Matcher kafkaStrategy = KAFKA_STRATEGY.matcher(row.becomes());
        String optionDefault = null;
        if (endpoint.matches()) {
            JsonNode catalog = metadata.get(endpoint.group(1));
            JsonNode option = catalog.path("properties").path(endpoint.group(2));
            if (option.isMissingNode()) {
                option = catalog.path("componentProperties").path(endpoint.group(2));
            }
            soft.assertThat(option.isMissingNode())
                    .as("%s: %s is an option of %s:", row.setting(), endpoint.group(2), endpoint.group(1))
                    .isFalse();
            optionDefault =
                    option.has("defaultValue") ? option.get("defaultValue").asText() : null;
        } else if (strategy.matches()) {
            String property = strategy.group(1);
            soft.assertThat(hasMethod(EventStoreResumeStrategy.class, "set" + capitalised(property)))
                    .as("%s: EventStoreResumeStrategy has property %s", row.setting(), property)
                    .isTrue();
            optionDefault = strategyDefault(property);
        } else if (kafkaStrategy.matches()) {
            soft.assertThat(hasMethod(KafkaResumeStrategyConfigurationBuilder.class, kafkaStrategy.group(1)))
                    .as("%s: KafkaResumeStrategyConfigurationBuilder has %s", row.setting(), kafkaStrategy.group(1))
                    .isTrue();
        } else {
            soft.assertThat(row.becomes())
                    .as("%s: an option, a property, or what the connector does", row.setting())
                    .startsWith("the connector: ");
        }
        String expected;
        if (connectorDefault == null || optionDefault == null) {
            expected = "–";
        } else {
            expected = connectorDefault.equals(optionDefault) ? "same" : "differs";
        }
        soft.assertThat(row.defaultNote())
                .as(
                        "%s %s: default %s against %s's %s",
                        row.template(), row.setting(), connectorDefault, row.becomes(), optionDefault)
                .startsWith(expected);
    }

    /** EventStoreResumeStrategy.DEFAULT_CHECKPOINT_INTERVAL for checkpointInterval, and so on. */
    private static String strategyDefault(String property) {
        String constant = "DEFAULT_" + property.replaceAll("([A-Z])", "_$1").toUpperCase();
        try {
            return String.valueOf(
                    EventStoreResumeStrategy.class.getField(constant).get(null));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static boolean hasMethod(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(name));
    }

    private static String capitalised(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static JsonNode catalog(String resource) throws Exception {
        try (InputStream in = SettingsMappingTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JSON.readTree(in);
        }
    }

    static List<Row> rows(String doc) {
        int start = doc.indexOf(HEADER);
        assertThat(start).as("docs/connectors.md holds the table %s", HEADER).isNotNegative();
        List<Row> rows = new ArrayList<>();
        List<String> lines = doc.substring(start).lines().skip(2).toList();
        for (String line : lines) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            rows.add(new Row(cells[0].trim(), cells[1].trim().replace("`", ""), cells[2].trim(), cells[3].trim()));
        }
        return rows;
    }
}
