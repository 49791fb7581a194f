package io.ballast.cli.render;

/**
 * A live status line while the CLI waits. On a terminal it redraws one line on standard error with a
 * spinner and the elapsed time; otherwise (CI logs) it prints a plain line only when the status text
 * changes, so a log stays short. Standard output is left to the command's result. Not thread-safe.
 */
public final class Progress {
    private static final String[] UNICODE_SPIN = {"\u280b", "\u2819", "\u2839", "\u2838", "\u283c", "\u2834", "\u2826", "\u2827", "\u2807", "\u280f"};
    private static final String[] ASCII_SPIN = {"|", "/", "-", "\\"};

    private final Terminal terminal;
    private final long startNanos = System.nanoTime();
    private String lastStatus;
    private int frame;
    private boolean drawn;

    public Progress(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Shows {@code status} (e.g. {@code waiting for dp-2, dp-3 (1 of 3 applied)}). */
    public void update(String status) {
        if (terminal.tty()) {
            String[] spin = terminal.unicode() ? UNICODE_SPIN : ASCII_SPIN;
            String text = spin[frame++ % spin.length] + " " + status + " " + terminal.dim("(" + elapsed() + ")");
            terminal.err().print("\r\u001b[K" + text);
            terminal.err().flush();
            drawn = true;
        } else if (!status.equals(lastStatus)) {
            terminal.err().println(status);
        }
        lastStatus = status;
    }

    /** Clears the live line (on a terminal) so the final message starts on a clean line. */
    public void finish() {
        if (drawn) {
            terminal.err().print("\r\u001b[K");
            terminal.err().flush();
            drawn = false;
        }
    }

    public String elapsed() {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        return ms < 10_000 ? String.format("%.1fs", ms / 1000.0) : (ms / 1000) + "s";
    }
}
