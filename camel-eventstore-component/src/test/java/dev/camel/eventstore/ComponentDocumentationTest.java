package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

/**
 * docs/component.md must match the metadata the Camel plugin generates from the annotations (regenerate its
 * tables with docs/tools/component-options.py): every option with
 * its default and description, every header.
 */
class ComponentDocumentationTest {
    private static final Path DOC = Path.of("..", "docs", "component.md");

    @Test
    void everyOptionIsDocumentedWithItsDefaultAndDescription() throws Exception {
        String doc = Files.readString(DOC);
        for (Map.Entry<String, Object> option : metadata("properties").entrySet()) {
            String name = option.getKey();
            JsonObject property = (JsonObject) option.getValue();
            Object defaultValue = property.get("defaultValue");
            String description = property.getString("description").replace("|", "\\|");
            String row = doc.lines()
                    .filter(line -> line.startsWith("| `" + name + "` |"))
                    .findFirst()
                    .orElse(null);
            if (row == null) {
                assertThat(doc).as("option %s", name).contains("`" + name + "`");
                continue;
            }
            assertThat(row).as("description of %s", name).contains(description);
            if (defaultValue != null) {
                assertThat(row).as("default of %s", name).contains("`" + defaultValue + "`");
            }
        }
    }

    @Test
    void everyHeaderIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        for (String header : metadata("headers").keySet()) {
            assertThat(doc).as("header %s", header).contains("| `" + header + "` |");
        }
    }

    private static JsonObject metadata(String section) throws Exception {
        try (InputStream json = ComponentDocumentationTest.class.getResourceAsStream(
                "/META-INF/dev/camel/eventstore/eventstore.json")) {
            assertThat(json).as("generated component metadata").isNotNull();
            JsonObject root = (JsonObject) Jsoner.deserialize(new String(json.readAllBytes(), StandardCharsets.UTF_8));
            return (JsonObject) root.get(section);
        }
    }
}
