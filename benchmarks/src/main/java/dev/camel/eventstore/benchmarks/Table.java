package dev.camel.eventstore.benchmarks;

import java.util.List;

/** The results as a Markdown table: what docs/performance.md shows. */
final class Table {
    private Table() {}

    static String render(List<Row> rows) {
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
                r.cpu().length == 0 ? "" : String.format(java.util.Locale.ROOT, "%.1f us", Stats.median(r.cpu())),
                r.target(),
                r.verdict().label
            };
        }
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : cells) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        StringBuilder rule = new StringBuilder("|");
        for (int c = 0; c < header.length; c++) {
            boolean right = c >= 2 && c <= 5;
            rule.append(right ? "-".repeat(widths[c] + 1) + ":|" : "-".repeat(widths[c] + 2) + "|");
        }
        out.append(rule).append('\n');
        for (String[] row : cells) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < cells.length; c++) {
            boolean right = c >= 2 && c <= 5;
            String pad = " ".repeat(widths[c] - cells[c].length());
            out.append(' ').append(right ? pad + cells[c] : cells[c] + pad).append(" |");
        }
        out.append('\n');
    }
}
