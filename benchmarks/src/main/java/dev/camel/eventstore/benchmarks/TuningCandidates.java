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
    private static final String CHECKPOINT = "checkpointRecordsThreshold=10000";

    private TuningCandidates() {}

    static List<Candidate> kafka() {
        return candidates(
                ConnectorTemplates.KAFKA_PARAMETERS,
                "maxInFlight=500 maxInFlight=1000 maxInFlight=2000 maxInFlight=5000 lingerMs=0 lingerMs=1 lingerMs=5"
                        + " lingerMs=20 producerBatchSize=65536 producerBatchSize=1048576 compression=lz4 "
                        + CHECKPOINT);
    }

    /** One request per event: more of them in flight (order kept per stream), fewer checkpoints. */
    static List<Candidate> http() {
        return candidates(
                ConnectorTemplates.HTTP_PARAMETERS, "maxInFlight=2 maxInFlight=4 maxInFlight=16 " + CHECKPOINT);
    }

    static List<Candidate> logger() {
        return candidates(ConnectorTemplates.LOGGER_PARAMETERS, "maxInFlight=2 maxInFlight=16 " + CHECKPOINT);
    }

    /** The defaults first, then each change ("name=value", space-separated) that differs from its default. */
    private static List<Candidate> candidates(List<ConnectorTemplates.Parameter> parameters, String changes) {
        List<Candidate> list = new ArrayList<>();
        list.add(new Candidate(Map.of()));
        List<ConnectorTemplates.Parameter> all = withCommon(parameters);
        for (String change : changes.split(" ")) {
            String[] nameValue = change.split("=", 2);
            if (!nameValue[1].equals(ConnectorRuns.defaultOf(all, nameValue[0]))) {
                list.add(new Candidate(Map.of(nameValue[0], nameValue[1])));
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
