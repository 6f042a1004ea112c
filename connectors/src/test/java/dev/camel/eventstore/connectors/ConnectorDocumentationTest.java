package dev.camel.eventstore.connectors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/connectors.md documents every template parameter with its default and meaning, exactly as the templates
 * declare them: the tables are the templates' own lists (a mismatch fails with the table to paste).
 */
class ConnectorDocumentationTest {
    private static final Path DOC = Path.of("..", "docs", "connectors.md");

    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        String doc = Files.readString(DOC);
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            assertTable(soft, doc, "common", ConnectorTemplates.COMMON);
            assertTable(soft, doc, "logger", ConnectorTemplates.LOGGER_PARAMETERS);
            assertTable(soft, doc, "http", ConnectorTemplates.HTTP_PARAMETERS);
            assertTable(soft, doc, "kafka", ConnectorTemplates.KAFKA_PARAMETERS);
        });
    }

    private static void assertTable(
            org.assertj.core.api.SoftAssertions soft,
            String doc,
            String name,
            List<ConnectorTemplates.Parameter> parameters) {
        String table = table(parameters);
        // the expected table, to paste into the docs when a setting changed
        Path expected = Path.of("target", "connector-settings", name + ".md");
        try {
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, table);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        soft.assertThat(doc)
                .as("docs/connectors.md should hold the %s settings table:%n%s", name, table)
                .contains(table);
    }

    static String table(List<ConnectorTemplates.Parameter> parameters) {
        StringBuilder s = new StringBuilder("| setting | default | meaning |\n|---|---|---|\n");
        for (ConnectorTemplates.Parameter p : parameters) {
            String value = p.required() ? "required" : p.defaultValue() == null ? "" : "`" + p.defaultValue() + "`";
            s.append("| `")
                    .append(p.name())
                    .append("` | ")
                    .append(value)
                    .append(" | ")
                    .append(p.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return s.toString();
    }
}
