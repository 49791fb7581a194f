package io.ballast.cli.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain text table that fits a given width: columns separated by two spaces, the widest column
 * shrunk first (cells cut with an ellipsis) until the line fits, never below its header's width or
 * {@value #MIN_WIDTH} characters. Not thread-safe.
 */
public final class Table {
    static final int MIN_WIDTH = 6;
    private static final String GAP = "  ";

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = headers.clone();
    }

    public Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = cells[i] == null ? "-" : oneLine(cells[i].toString());
        }
        rows.add(text);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The column widths that fit {@code width} (the last column may still overflow if nothing can shrink). */
    int[] widths(int width) {
        int n = headers.length;
        int[] w = new int[n];
        int[] min = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = headers[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
            min[i] = Math.min(w[i], Math.max(headers[i].length(), MIN_WIDTH));
        }
        int total = Arrays.stream(w).sum() + GAP.length() * (n - 1);
        while (total > width) {
            int widest = -1;
            for (int i = 0; i < n; i++) {
                if (w[i] > min[i] && (widest < 0 || w[i] >= w[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                break;
            }
            w[widest]--;
            total--;
        }
        return w;
    }

    public String render(Terminal terminal) {
        return render(terminal, terminal.width());
    }

    /** Rendered to fit {@code width} columns (e.g. the terminal's width less an indent). */
    public String render(Terminal terminal, int width) {
        int[] w = widths(width);
        String ellipsis = terminal.unicode() ? "\u2026" : "~";
        StringBuilder out = new StringBuilder();
        line(out, headers, w, ellipsis, terminal, true);
        for (String[] r : rows) {
            line(out, r, w, ellipsis, terminal, false);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] w, String ellipsis, Terminal terminal, boolean header) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = fit(cells[i], w[i], ellipsis);
            boolean last = i == cells.length - 1;
            String padded = last ? cell : cell + " ".repeat(w[i] - cell.length());
            text.append(header ? terminal.bold(padded) : padded);
            if (!last) {
                text.append(GAP);
            }
        }
        out.append(text.toString().stripTrailing()).append(System.lineSeparator());
    }

    static String fit(String cell, int width, String ellipsis) {
        if (cell.length() <= width) {
            return cell;
        }
        return cell.substring(0, Math.max(0, width - ellipsis.length())) + ellipsis;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ");
    }
}
