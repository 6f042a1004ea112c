package dev.camel.eventstore.connectors;

import java.util.ArrayList;
import java.util.List;

/** The HTTP status codes that count as delivered, from a setting such as {@code 200-299,404}. */
final class StatusCodes {
    private record Range(int from, int to) {}

    private final List<Range> ranges;
    private final String text;

    private StatusCodes(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    static StatusCodes parse(String setting, String text) {
        List<Range> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to =
                        dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 100 || to > 599 || from > to) {
                    throw ConnectorSettings.invalid(
                            setting, "must hold status codes between 100 and 599, low to high, got '" + p + "'");
                }
                ranges.add(new Range(from, to));
            } catch (NumberFormatException e) {
                throw ConnectorSettings.invalid(
                        setting, "must be status codes or ranges such as 200-299,404, got '" + p + "'");
            }
        }
        if (ranges.isEmpty()) {
            throw ConnectorSettings.invalid(setting, "must name at least one status code");
        }
        return new StatusCodes(List.copyOf(ranges), text);
    }

    boolean contains(int code) {
        for (Range r : ranges) {
            if (code >= r.from && code <= r.to) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
