package io.ballast.dataplane.health;

/**
 * The result of one probe. Immutable.
 *
 * @param passed  true when the backend answered as expected
 * @param failure why it failed, in the style of AWS target health reasons ({@code Timeout},
 *                {@code ConnectionRefused}, {@code ResponseCodeMismatch}, {@code ConnectionFailed}); null when passed
 * @param status  the HTTP status the backend answered an HTTP check with; null for TCP checks and when no answer came
 *                (the console shows "OK 200" or "503")
 */
public record ProbeOutcome(boolean passed, String failure, Integer status) {
    public static final ProbeOutcome PASS = new ProbeOutcome(true, null, null);

    public ProbeOutcome(boolean passed, String failure) {
        this(passed, failure, null);
    }

    public static ProbeOutcome fail(String reason) {
        return new ProbeOutcome(false, reason, null);
    }

    /** The outcome of an HTTP answer with {@code status}. */
    public static ProbeOutcome answered(int status, boolean accepted) {
        return new ProbeOutcome(accepted, accepted ? null : "ResponseCodeMismatch", status);
    }
}
