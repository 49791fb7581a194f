package io.ballast.dataplane.health;

/**
 * The result of one probe. Immutable.
 *
 * @param passed  true when the backend answered as expected
 * @param failure why it failed, in the style of AWS target health reasons ({@code Timeout},
 *                {@code ConnectionRefused}, {@code ResponseCodeMismatch}, {@code ConnectionFailed}); null when passed
 */
public record ProbeOutcome(boolean passed, String failure) {
    public static final ProbeOutcome PASS = new ProbeOutcome(true, null);

    public static ProbeOutcome fail(String reason) {
        return new ProbeOutcome(false, reason);
    }
}
