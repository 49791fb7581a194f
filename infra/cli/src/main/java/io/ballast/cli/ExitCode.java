package io.ballast.cli;

/** The exit codes of API.md, which pipelines branch on. */
public final class ExitCode {
    public static final int OK = 0;
    /** Anything that went wrong, usage errors included (picocli's default of 2 would read as "changes"). */
    public static final int ERROR = 1;
    /** {@code diff} found differences. */
    public static final int CHANGES = 2;
    /** {@code --wait} gave up before the fleet got there. */
    public static final int TIMED_OUT = 3;

    private ExitCode() {
    }
}
