package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.consumer.ConsumerSettings;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

/**
 * docs/component.md must match the metadata the Camel plugin generates from the annotations (regenerate its
 * tables with docs/tools/component-options.py): every option with
 * its default and description, every header with its type and description; and the generated descriptions must be
 * the annotations' own words.
 */
class ComponentDocumentationTest {
    private static final Path DOC = Path.of("..", "docs", "component.md");

    @Test
    void everyOptionIsDocumentedWithItsDefaultAndDescription() throws Exception {
        for (Documented option : documented("properties")) {
            if (option.row() == null) {
                assertThat(option.doc()).as("option %s", option.name()).contains("`" + option.name() + "`");
                continue;
            }
            assertThat(option.row()).as("description of %s", option.name()).contains(option.description());
            Object defaultValue = option.property().get("defaultValue");
            if (defaultValue != null) {
                assertThat(option.row()).as("default of %s", option.name()).contains("`" + defaultValue + "`");
            }
        }
    }

    @Test
    void everyHeaderIsDocumentedWithItsTypeAndDescription() throws Exception {
        for (Documented header : documented("headers")) {
            assertThat(header.row()).as("row of header %s", header.name()).isNotNull();
            String javaType = header.property().getString("javaType");
            String simpleType = javaType.substring(javaType.lastIndexOf('.') + 1);
            assertThat(header.row()).as("type of header %s", header.name()).contains("| " + simpleType + " |");
            assertThat(header.row())
                    .as("description of header %s", header.name())
                    .contains(header.description());
        }
    }

    /**
     * The plugin keeps only some punctuation in descriptions (it drops e.g. {@code []}, {@code *}, {@code <>}), so
     * an annotation can say something the generated metadata, and so Camel's tooling, does not: they must agree.
     */
    @Test
    void theGeneratedDescriptionsAreTheAnnotationsWordForWord() throws Exception {
        JsonObject headers = metadata("headers");
        for (Field field : EventStoreConstants.class.getFields()) {
            Metadata annotation = field.getAnnotation(Metadata.class);
            if (annotation != null) {
                JsonObject header = (JsonObject) headers.get((String) field.get(null));
                assertThat(header.getString("description"))
                        .as("header %s", field.getName())
                        .isEqualTo(annotation.description());
            }
        }
        JsonObject properties = metadata("properties");
        // the connection options live in the superclass, ConnectionSettings
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = EventStoreConfiguration.class; c != Object.class; c = c.getSuperclass()) {
            fields.addAll(List.of(c.getDeclaredFields()));
        }
        assertThat(fields).extracting(Field::getName).contains("connectionString", "password");
        for (Field field : fields) {
            UriParam annotation = field.getAnnotation(UriParam.class);
            if (annotation != null) {
                String name = annotation.name().isEmpty() ? field.getName() : annotation.name();
                JsonObject property = (JsonObject) properties.get(name);
                assertThat(property)
                        .as("option %s in the generated metadata", name)
                        .isNotNull();
                assertThat(property.getString("description"))
                        .as("option %s", name)
                        .isEqualTo(annotation.description());
            }
        }
    }

    @Test
    void theDocumentedPrefixRegexIsTheOneTheConsumerBuilds() throws Exception {
        // the documented example, and that only regex characters are escaped ('-' is not one outside [])
        String doc = Files.readString(DOC);
        String built = ConsumerSettings.prefixRegex("streamNamePrefixes", "order-,invoice-");
        assertThat(built).isEqualTo("^(?:order-|invoice-)");
        assertThat(doc).contains("`" + built + "`");
        String escaped = ConsumerSettings.prefixRegex("streamNamePrefixes", "order.v2-");
        assertThat(escaped).isEqualTo("^(?:order\\.v2-)");
        assertThat(doc).contains("`" + escaped + "`");
    }

    private static JsonObject metadata(String section) throws Exception {
        try (InputStream json = ComponentDocumentationTest.class.getResourceAsStream(
                "/META-INF/dev/camel/eventstore/eventstore.json")) {
            assertThat(json).as("generated component metadata").isNotNull();
            JsonObject root = (JsonObject) Jsoner.deserialize(new String(json.readAllBytes(), StandardCharsets.UTF_8));
            return (JsonObject) root.get(section);
        }
    }

    /**
     * Each entry of a section of the generated metadata, with docs/component.md and the row of its tables that
     * documents the entry.
     */
    private static List<Documented> documented(String section) throws Exception {
        String doc = Files.readString(DOC);
        List<Documented> entries = new ArrayList<>();
        for (Map.Entry<String, Object> entry : metadata(section).entrySet()) {
            entries.add(new Documented(entry.getKey(), (JsonObject) entry.getValue(), doc, row(doc, entry.getKey())));
        }
        return entries;
    }

    /** An option or header of the generated metadata, and the row that documents it ({@code null} if none). */
    private record Documented(String name, JsonObject property, String doc, String row) {
        /** The generated description, as a Markdown table cell writes it. */
        String description() {
            return property.getString("description").replace("|", "\\|");
        }
    }

    /** The table row that documents {@code name}, or {@code null}. */
    private static String row(String doc, String name) {
        return doc.lines()
                .filter(line -> line.startsWith("| `" + name + "` |"))
                .findFirst()
                .orElse(null);
    }
}
