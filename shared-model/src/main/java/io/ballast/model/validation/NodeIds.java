package io.ballast.model.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a data-plane node id may look like: a hostname-like slug of letters, digits, dots, dashes and
 * underscores, at most 253 characters (a DNS name), starting with a letter or digit. Node ids end up
 * in log lines, database rows, Prometheus labels and the console, so anything that could forge a log
 * line (CR, LF), carry markup ({@code <script>}) or a path ({@code ../}) is refused where a node id
 * enters: the data plane's settings and the control plane's {@code hello}. Thread-safe (stateless).
 */
public final class NodeIds {
    public static final int MAX_LENGTH = 253;
    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private NodeIds() {
    }

    public static boolean valid(String nodeId) {
        return nodeId != null && SLUG.matcher(nodeId).matches() && !nodeId.contains("..");
    }

    /** Empty when valid; otherwise the reason, which never echoes the offending value (it may be a forged log line). */
    public static Optional<String> refusal(String nodeId) {
        if (valid(nodeId)) {
            return Optional.empty();
        }
        return Optional.of("nodeId must be 1-" + MAX_LENGTH + " letters, digits, '.', '-' or '_', starting with a letter or digit");
    }

    /**
     * Free text a peer sends beside its node id (hostname, version, label): printable, no control
     * characters, at most {@code max} characters.
     */
    public static boolean printable(String text, int max) {
        if (text == null) {
            return true;
        }
        if (text.length() > max) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '<' || c == '>') {
                return false;
            }
        }
        return true;
    }
}
