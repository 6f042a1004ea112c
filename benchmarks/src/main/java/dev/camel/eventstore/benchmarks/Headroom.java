package dev.camel.eventstore.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The row that holds the testkit to never bounding a benchmark (issue 19): the raw subscription A at least 3 times
 * the fastest connector. A and the connectors run in separate group JVMs of the same command, so this compares their
 * medians, not runs of the same round.
 */
final class Headroom {
    /** The connector rows it compares with: Kafka, HTTP per event, HTTP batched, logger. */
    static final List<String> CONNECTORS = List.of("3", "4", "4b", "5");

    private Headroom() {}

    /** The A / fastest connector row, when A and at least one connector ran; otherwise none. */
    static Optional<Row> row(List<Row> rows) {
        Map<String, Row> byId = rows.stream().collect(Collectors.toMap(Row::id, Function.identity(), (a, b) -> a));
        Row a = byId.get("A");
        Optional<Row> fastest = CONNECTORS.stream()
                .map(byId::get)
                .filter(r -> r != null)
                .max((x, y) -> Double.compare(x.median(), y.median()));
        if (a == null || fastest.isEmpty()) {
            return Optional.empty();
        }
        Row f = fastest.get();
        return Optional.of(Row.atLeast(
                "A/fastest",
                "A / the fastest connector (" + f.id() + "), medians from separate group JVMs of the same command:"
                        + " the testkit does not bound the benchmarks",
                Row.Unit.RATIO,
                new double[] {a.median() / f.median()},
                3.0));
    }
}
