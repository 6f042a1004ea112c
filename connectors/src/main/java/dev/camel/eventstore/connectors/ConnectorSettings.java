package dev.camel.eventstore.connectors;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.TimeUtils;

/**
 * Typed, validated access to a connector's template parameters: every invalid value fails with a message naming
 * the setting, so a misconfigured connector stops startup instead of misbehaving. A setting not given takes the
 * default its template's parameter list declares: no default is written here or where a setting is read.
 */
final class ConnectorSettings {
    /** A duration of zero: {@code 0}, {@code 0s}, {@code 0ms}. */
    private static final Pattern ZERO = Pattern.compile("0+[a-z]*");

    private final RouteTemplateContext context;
    private final Map<String, String> defaults;

    /**
     * @param parameters the template's parameters, whose defaults apply to settings not given
     */
    ConnectorSettings(RouteTemplateContext context, List<ConnectorTemplates.Parameter> parameters) {
        this.context = context;
        this.defaults = new HashMap<>();
        for (ConnectorTemplates.Parameter p : parameters) {
            if (p.defaultValue() != null) {
                defaults.put(p.name(), p.defaultValue());
            }
        }
    }

    CamelContext camelContext() {
        return context.getCamelContext();
    }

    /** The value given, else the template's default, else {@code null}. */
    private String valueOrDefault(String name) {
        String value = optional(name);
        return value != null ? value : defaults.get(name);
    }

    /** The value given, else the template's default; one of the two must exist. */
    private String withDefault(String name) {
        String value = valueOrDefault(name);
        if (value == null) {
            throw invalid(name, "is required");
        }
        return value;
    }

    /**
     * The value, or {@code null} when absent or blank. Property placeholders in it are resolved, as Camel resolves
     * them where the route uses the parameter: {@code checkpointInterval={{connectors.interval}}} in a properties
     * file, overridden by the environment variable {@code CONNECTORS_INTERVAL}, is the interval, not its text.
     */
    String optional(String name) {
        // a kebab-case key (as properties files may spell it) is what the user gave; the camelCase key may then
        // hold only the template's default
        Object value = context.getProperty(StringHelper.camelCaseToDash(name));
        if (value == null) {
            value = context.getProperty(name);
        }
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        if (text.contains(PropertiesComponent.PREFIX_TOKEN)) {
            try {
                text = context.getCamelContext()
                        .resolvePropertyPlaceholders(text)
                        .trim();
            } catch (RuntimeException e) {
                throw invalid(name, "refers to a property that cannot be resolved: " + e.getMessage());
            }
        }
        return text.isEmpty() ? null : text;
    }

    String required(String name) {
        String value = optional(name);
        if (value == null) {
            throw invalid(name, "is required");
        }
        return value;
    }

    /** The value given, else the template's default ({@code null} when it has none). */
    String string(String name) {
        return valueOrDefault(name);
    }

    int integer(String name, int minimum) {
        String value = withDefault(name);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < minimum) {
                throw invalid(name, "must be at least " + minimum + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(name, "must be a whole number, got '" + value + "'");
        }
    }

    /** Milliseconds, given as a number or a duration such as {@code 5s} or {@code 1m30s}. */
    long millis(String name) {
        String value = withDefault(name);
        if (value.startsWith("-")) {
            throw invalid(name, "must not be negative, got '" + value + "'");
        }
        long parsed;
        try {
            parsed = TimeUtils.toMilliSeconds(value);
        } catch (RuntimeException e) {
            // NumberFormatException for "5 minutes", StringIndexOutOfBoundsException for "s"
            parsed = -1;
        }
        // TimeUtils reads text it does not understand ("PT5S", "five") as 0
        if (parsed < 0 || (parsed == 0 && !ZERO.matcher(value).matches())) {
            throw invalid(name, "must be milliseconds or a duration such as 5s, got '" + value + "'");
        }
        return parsed;
    }

    boolean bool(String name) {
        String value = withDefault(name);
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(name, "must be true or false, got '" + value + "'");
    }

    /**
     * One of the given choices, matched ignoring case, dashes and underscores (EventStoreDB's saslSsl is SASL_SSL),
     * returned as the choice is spelt: that spelling, not the text given, is what an endpoint gets. A choice equal
     * to the value but for case wins first, as -1 and 1 are the same once dashes are ignored.
     */
    String choice(String name, String... choices) {
        String value = withDefault(name);
        for (String choice : choices) {
            if (choice.equalsIgnoreCase(value)) {
                return choice;
            }
        }
        String normalised = normalise(value);
        for (String choice : choices) {
            if (normalise(choice).equals(normalised)) {
                return choice;
            }
        }
        throw invalid(name, "must be one of " + String.join(", ", choices) + ", got '" + value + "'");
    }

    private static String normalise(String value) {
        return value.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /**
     * Where reading starts when no checkpoint is stored: {@code earliest} or {@code latest} (the endpoint's {@code
     * start} and {@code end} too), or a position of the stream the connector reads.
     */
    String initialPosition(String name, String stream) {
        String value = withDefault(name);
        for (String word : new String[] {"earliest", "latest", "start", "end"}) {
            if (word.equalsIgnoreCase(value)) {
                return value;
            }
        }
        boolean all = stream == null || stream.equals("$all");
        try {
            SubscriptionPosition.parse(value, all);
            return value;
        } catch (IllegalArgumentException e) {
            throw invalid(
                    name,
                    "must be earliest, latest or a position of "
                            + (all ? "$all (<commit>/<prepare> or <commit>)" : "the stream (a revision)") + ", got '"
                            + value + "'");
        }
    }

    /** {@code Name=value,Other=value} pairs (an empty map when absent). */
    Map<String, String> pairs(String name) {
        Map<String, String> pairs = new LinkedHashMap<>();
        String value = optional(name);
        if (value == null) {
            return pairs;
        }
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw invalid(name, "must be Name=value pairs separated by commas, got '" + pair.trim() + "'");
            }
            pairs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return pairs;
    }

    static IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException("Invalid connector setting '" + name + "': it " + problem);
    }
}
