package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tuning group tries against each connector's defaults: one setting changed at a time, among those the
 * templates offer that change how fast the same job is done (not what is delivered: no acks, idempotence, headers,
 * log level or batched HTTP requests). A candidate equal to the current default is left out, so that a default
 * changed in the connectors library is compared with its neighbours.
 */
final class TuningCandidates {
    /** A configuration: the settings it changes from the template's defaults; none for the defaults. */
    record Candidate(Map<String, String> changes) {
        /** "defaults", or the changes as "maxInFlight=1000". */
        String label() {
            if (changes.isEmpty()) {
                return "defaults";
            }
            List<String> parts = new ArrayList<>();
            changes.forEach((name, value) -> parts.add(name + "=" + value));
            return String.join(",", parts);
        }
    }

    /** Fewer checkpoint writes: the common setting every connector has. */
    private static final String[] CHECKPOINT = {"checkpointRecordsThreshold", "10000"};

    private TuningCandidates() {}

    static List<Candidate> kafka() {
        return candidates(
                ConnectorTemplates.KAFKA_PARAMETERS,
                new String[] {"maxInFlight", "500"},
                new String[] {"maxInFlight", "1000"},
                new String[] {"maxInFlight", "2000"},
                new String[] {"maxInFlight", "5000"},
                new String[] {"lingerMs", "0"},
                new String[] {"lingerMs", "1"},
                new String[] {"lingerMs", "20"},
                new String[] {"compression", "lz4"},
                CHECKPOINT);
    }

    /** One request per event: more of them in flight (order kept per stream), fewer checkpoints. */
    static List<Candidate> http() {
        return candidates(
                ConnectorTemplates.HTTP_PARAMETERS,
                new String[] {"maxInFlight", "2"},
                new String[] {"maxInFlight", "4"},
                new String[] {"maxInFlight", "16"},
                CHECKPOINT);
    }

    static List<Candidate> logger() {
        return candidates(
                ConnectorTemplates.LOGGER_PARAMETERS,
                new String[] {"maxInFlight", "2"},
                new String[] {"maxInFlight", "16"},
                CHECKPOINT);
    }

    /** The defaults first, then each change that differs from its default. */
    private static List<Candidate> candidates(List<ConnectorTemplates.Parameter> parameters, String[]... changes) {
        List<Candidate> list = new ArrayList<>();
        list.add(new Candidate(Map.of()));
        List<ConnectorTemplates.Parameter> all = withCommon(parameters);
        for (String[] change : changes) {
            if (!change[1].equals(ConnectorRuns.defaultOf(all, change[0]))) {
                Map<String, String> map = new LinkedHashMap<>();
                map.put(change[0], change[1]);
                list.add(new Candidate(map));
            }
        }
        return list;
    }

    /** "maxInFlight 100, lingerMs 5": the defaults of the settings the candidates change. */
    static String defaults(List<ConnectorTemplates.Parameter> parameters, List<Candidate> candidates) {
        List<ConnectorTemplates.Parameter> all = withCommon(parameters);
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            c.changes().keySet().forEach(name -> defaults.put(name, ConnectorRuns.defaultOf(all, name)));
        }
        List<String> parts = new ArrayList<>();
        defaults.forEach((name, value) -> parts.add(name + " " + value));
        return String.join(", ", parts);
    }

    /** A template's settings: the ones every connector has, and its own. */
    private static List<ConnectorTemplates.Parameter> withCommon(List<ConnectorTemplates.Parameter> parameters) {
        List<ConnectorTemplates.Parameter> all = new ArrayList<>(ConnectorTemplates.COMMON);
        all.addAll(parameters);
        return all;
    }
}
