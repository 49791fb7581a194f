package io.ballast.cli.render;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where output goes and what it may use: colour only when standard output is a terminal and
 * {@code NO_COLOR} is unset or empty (no-color.org) and {@code TERM} is not {@code dumb}; a width
 * from {@code COLUMNS} or 80; Unicode symbols only when the output charset is UTF-8.
 */
public final class Terminal {
    public static final int DEFAULT_WIDTH = 80;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean tty;
    private final boolean color;
    private final int width;
    private final boolean unicode;

    public Terminal(PrintStream out, PrintStream err, boolean tty, boolean color, int width, boolean unicode) {
        this.out = out;
        this.err = err;
        this.tty = tty;
        this.color = color;
        this.width = width;
        this.unicode = unicode;
    }

    public static Terminal system(Map<String, String> env) {
        boolean tty = System.console() != null;
        String noColor = env.get("NO_COLOR");
        boolean color = tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
        boolean unicode = Charset.defaultCharset().equals(StandardCharsets.UTF_8);
        return new Terminal(System.out, System.err, tty, color, width(env.get("COLUMNS")), unicode);
    }

    /** A plain terminal for tests and for output captured by a program: no colour, 80 columns. */
    public static Terminal plain(PrintStream out, PrintStream err) {
        return new Terminal(out, err, false, false, DEFAULT_WIDTH, true);
    }

    static int width(String columns) {
        try {
            int w = columns == null ? DEFAULT_WIDTH : Integer.parseInt(columns.strip());
            return w >= 20 && w <= 1000 ? w : DEFAULT_WIDTH;
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public boolean tty() {
        return tty;
    }

    public boolean color() {
        return color;
    }

    public int width() {
        return width;
    }

    public boolean unicode() {
        return unicode;
    }

    public String red(String s) {
        return paint("31", s);
    }

    public String green(String s) {
        return paint("32", s);
    }

    public String yellow(String s) {
        return paint("33", s);
    }

    public String bold(String s) {
        return paint("1", s);
    }

    public String dim(String s) {
        return paint("2", s);
    }

    private String paint(String code, String s) {
        return color && !s.isEmpty() ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
