package dev.camel.eventstore.connectors;

import dev.camel.eventstore.connectors.ConnectorTemplates.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.util.StringHelper;

/**
 * Checks a connector's settings when its route is created, before any endpoint sees them: a setting the template
 * does not have (a misspelt name would otherwise be ignored in silence), and values that the endpoints would reject
 * with messages that do not name the setting (a Camel converter's or an enum's).
 */
final class SettingsCheck implements Consumer<RouteTemplateContext> {
    /**
     * Settings that are plain values passed on to an endpoint option, with what the option accepts; each gives the
     * value as the option takes it. A choice is matched loosely and given as Kafka spells it (see {@link #value}).
     */
    private static final Map<String, Function<ConnectorSettings, Object>> VALUES = Map.ofEntries(
            Map.entry("excludeSystemEvents", s -> s.bool("excludeSystemEvents")),
            Map.entry("resolveLinkTos", s -> s.bool("resolveLinkTos")),
            Map.entry("includeRecordData", s -> s.bool("includeRecordData")),
            Map.entry("idempotence", s -> s.bool("idempotence")),
            Map.entry("ignoreSystemHeaders", s -> s.bool("ignoreSystemHeaders")),
            Map.entry("retryInitialDelay", s -> s.millis("retryInitialDelay")),
            Map.entry("retryMaxDelay", s -> s.millis("retryMaxDelay")),
            Map.entry("retryMaxAttempts", s -> s.integer("retryMaxAttempts", 0)),
            Map.entry("maxInFlight", s -> s.integer("maxInFlight", 1)),
            Map.entry("lingerMs", s -> s.integer("lingerMs", 0)),
            Map.entry("logLevel", s -> s.choice("logLevel", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF")),
            Map.entry("acks", s -> s.choice("acks", "all", "-1", "1", "0")),
            Map.entry("compression", s -> s.choice("compression", "none", "gzip", "snappy", "lz4", "zstd")),
            Map.entry(
                    "securityProtocol",
                    s -> s.choice("securityProtocol", "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")),
            Map.entry(
                    "saslMechanism",
                    s -> s.choice(
                            "saslMechanism", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI", "OAUTHBEARER")));

    private final String templateId;
    private final List<Parameter> parameters;
    private final RequiredArtifact sink;
    private final Set<String> known = new TreeSet<>();

    /**
     * @param parameters the template's parameters, with their defaults
     * @param sink the Camel component the template's sink needs on the class path
     */
    SettingsCheck(String templateId, List<Parameter> parameters, RequiredArtifact sink) {
        this.templateId = templateId;
        this.parameters = parameters;
        this.sink = sink;
        parameters.forEach(p -> known.add(p.name()));
    }

    @Override
    public void accept(RouteTemplateContext context) {
        sink.check(context.getCamelContext(), templateId);
        for (String name : context.getParameters().keySet()) {
            if (!known.contains(name) && !known.contains(StringHelper.dashToCamelCase(name))) {
                throw ConnectorSettings.invalid(
                        name, "is not a setting of " + templateId + suggestion(name) + "; its settings are " + known);
            }
        }
        ConnectorSettings settings = new ConnectorSettings(context, parameters);
        VALUES.forEach((name, check) -> {
            if (known.contains(name)) {
                check.apply(settings);
            }
        });
        if (known.contains("acks") && known.contains("idempotence")) {
            checkAcksWithIdempotence(settings);
        }
    }

    /**
     * The value of a setting of {@link #VALUES} as its endpoint option takes it: for a choice, the choice as spelt
     * in the list, whatever spelling matched it ({@code Zstd} gives {@code zstd}, {@code saslSsl} {@code SASL_SSL}).
     */
    static String value(ConnectorSettings settings, String name) {
        return String.valueOf(VALUES.get(name).apply(settings));
    }

    /**
     * Kafka refuses an idempotent producer with acks other than all (-1) when the producer is created, in a message
     * about its own config names; this says it in the connector's.
     */
    private static void checkAcksWithIdempotence(ConnectorSettings settings) {
        String acks = value(settings, "acks");
        if (settings.bool("idempotence") && !acks.equals("all") && !acks.equals("-1")) {
            throw ConnectorSettings.invalid(
                    "acks",
                    "must be all or -1 while idempotence is true (its default), got '" + acks + "': acks=" + acks
                            + " needs idempotence=false, as an idempotent producer requires acks=all");
        }
    }

    /** ", did you mean 'x'?" for the closest known name when it is close, else nothing. */
    private String suggestion(String given) {
        String camel = StringHelper.dashToCamelCase(given);
        List<String> candidates = new ArrayList<>(known);
        candidates.sort(Comparator.comparingInt(name -> distance(name.toLowerCase(), camel.toLowerCase())));
        String best = candidates.get(0);
        return distance(best.toLowerCase(), camel.toLowerCase()) <= Math.max(2, camel.length() / 4)
                ? " (did you mean '" + best + "'?)"
                : "";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
