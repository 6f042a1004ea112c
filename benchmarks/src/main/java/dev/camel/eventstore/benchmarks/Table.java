package dev.camel.eventstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results as Markdown: what docs/performance.md shows. The rows of each measurement, then, in a table of its own
 * with a column per part, where each variant's CPU per event went (the {@link Row.Unit#CPU_SPLIT} rows): as rows of
 * the first table, their dozen parts made it unreadable.
 */
final class Table {
    /** Parts smaller than this (us per event) are left blank, and columns with nothing else left out. */
    private static final double SHOWN = 0.05;

    private Table() {}

    static String render(List<Row> rows) {
        List<Row> measured =
                rows.stream().filter(r -> r.unit() != Row.Unit.CPU_SPLIT).toList();
        List<Row> splits =
                rows.stream().filter(r -> r.unit() == Row.Unit.CPU_SPLIT).toList();
        String out = measurements(measured);
        if (!splits.isEmpty()) {
            out += "\nCPU per event by thread, us (medians of the runs, part by part; \"ended\": after a thread's last"
                    + " sample):\n\n" + splits(splits);
        }
        return out;
    }

    private static String measurements(List<Row> rows) {
        String[] header = {"#", "benchmark", "median", "min - max", "runs", "CPU/event", "target", "result"};
        String[][] cells = new String[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String unit = r.unit() == Row.Unit.RATIO ? " x" : " " + r.unit().label;
            cells[i] = new String[] {
                r.id(),
                r.name(),
                Row.format(r.median(), r.unit()) + unit,
                r.runs().length < 2 ? "" : Row.format(r.min(), r.unit()) + " - " + Row.format(r.max(), r.unit()),
                Integer.toString(r.runs().length),
                r.cpu().length == 0 ? "" : String.format(Locale.ROOT, "%.1f us", Stats.median(r.cpu())),
                r.target(),
                r.verdict().label
            };
        }
        return markdown(header, cells, 2, 5);
    }

    /** One row per variant: its total, then a column per part that any variant has. */
    private static String splits(List<Row> rows) {
        String[] labels = CpuSplit.labels();
        List<Integer> shown = new ArrayList<>();
        for (int part = 0; part < labels.length; part++) {
            int p = part;
            if (rows.stream().anyMatch(r -> Math.abs(r.cpu()[p]) >= SHOWN)) {
                shown.add(part);
            }
        }
        String[] header = new String[shown.size() + 2];
        header[0] = "#";
        header[1] = "total";
        for (int c = 0; c < shown.size(); c++) {
            header[c + 2] = labels[shown.get(c)];
        }
        String[][] cells = new String[rows.size()][header.length];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            cells[i][0] = r.id().substring(0, r.id().length() - ".cpu".length());
            cells[i][1] = Row.format(r.median(), r.unit());
            for (int c = 0; c < shown.size(); c++) {
                double v = r.cpu()[shown.get(c)];
                cells[i][c + 2] = Math.abs(v) < SHOWN ? "" : String.format(Locale.ROOT, "%.1f", v);
            }
        }
        return markdown(header, cells, 1, header.length - 1);
    }

    /** A Markdown table whose columns {@code firstRight} to {@code lastRight} are aligned right. */
    private static String markdown(String[] header, String[][] cells, int firstRight, int lastRight) {
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : cells) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths, firstRight, lastRight);
        StringBuilder rule = new StringBuilder("|");
        for (int c = 0; c < header.length; c++) {
            boolean right = c >= firstRight && c <= lastRight;
            rule.append(right ? "-".repeat(widths[c] + 1) + ":|" : "-".repeat(widths[c] + 2) + "|");
        }
        out.append(rule).append('\n');
        for (String[] row : cells) {
            line(out, row, widths, firstRight, lastRight);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths, int firstRight, int lastRight) {
        out.append('|');
        for (int c = 0; c < cells.length; c++) {
            boolean right = c >= firstRight && c <= lastRight;
            String pad = " ".repeat(widths[c] - cells[c].length());
            out.append(' ').append(right ? pad + cells[c] : cells[c] + pad).append(" |");
        }
        out.append('\n');
    }
}
