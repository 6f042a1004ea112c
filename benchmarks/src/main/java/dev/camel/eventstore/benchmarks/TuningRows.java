package dev.camel.eventstore.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The tuning group's rows of one connector: the defaults, each candidate, and the defaults over the best of them. */
final class TuningRows {
    /** Issue 19: the defaults reach at least 90% of the best configuration found. */
    static final double MINIMUM = 0.90;

    private TuningRows() {}

    /**
     * @param defaults the defaults of the settings the candidates change, as "maxInFlight 100, lingerMs 5"
     * @param candidates the defaults first, then the candidates, in the order of the runs' variants
     */
    static List<Row> of(
            String id,
            String connector,
            long events,
            String defaults,
            List<TuningCandidates.Candidate> candidates,
            Harness.Interleaved m) {
        List<Row> rows = new ArrayList<>();
        rows.add(Row.rate(
                id, String.format("tuning: %s, defaults (%s; %,d events)", connector, defaults, events), m, 0));
        int best = -1;
        for (int i = 1; i < candidates.size(); i++) {
            String label = candidates.get(i).label();
            Row row = Row.rate(id + ":" + label, "tuning: " + connector + " with " + label, m, i);
            rows.add(row);
            if (best < 0 || row.median() > Stats.median(m.rates()[best])) {
                best = i;
            }
        }
        if (best > 0) {
            rows.add(Row.ratio(
                    id + "/best",
                    String.format(
                            "%s defaults / best other configuration, %s (%s events/s), same rounds",
                            connector,
                            candidates.get(best).label(),
                            Row.format(Stats.median(m.rates()[best]), Row.Unit.EVENTS_PER_SECOND)),
                    m,
                    0,
                    best,
                    MINIMUM));
        }
        return rows;
    }
}
