package io.ballast.controlplane.rollout;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Which data planes a canary goes to: a label selector {@code k=v[,k=v]} (every pair must match the
 * labels the node said hello with) or {@code percent:N} (a stable N % of node ids, by a hash every
 * control-plane instance computes alike, so a node that reconnects anywhere stays on its side).
 * Immutable.
 */
public final class CohortSelector {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._/:-]{0,253}");
    private static final int MAX_LENGTH = 512;

    private final String text;
    private final Map<String, String> labels;
    private final int percent;

    private CohortSelector(String text, Map<String, String> labels, int percent) {
        this.text = text;
        this.labels = labels;
        this.percent = percent;
    }

    /** The selector, or empty with {@link #problem} telling why not. */
    public static Optional<CohortSelector> parse(String text) {
        return problem(text).isPresent() ? Optional.empty() : Optional.of(parsed(text));
    }

    /** Why {@code text} is not a selector; empty when it is one. */
    public static Optional<String> problem(String text) {
        String expected = "must be a label selector k=v[,k=v] or percent:N (N from 1 to 100)";
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            return Optional.of(expected);
        }
        if (text.startsWith("percent:")) {
            try {
                int n = Integer.parseInt(text.substring("percent:".length()));
                return n >= 1 && n <= 100 ? Optional.empty() : Optional.of(expected);
            } catch (NumberFormatException e) {
                return Optional.of(expected);
            }
        }
        for (String pair : text.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !KEY.matcher(pair.substring(0, eq)).matches() || !VALUE.matcher(pair.substring(eq + 1)).matches()) {
                return Optional.of(expected);
            }
        }
        return Optional.empty();
    }

    private static CohortSelector parsed(String text) {
        if (text.startsWith("percent:")) {
            return new CohortSelector(text, Map.of(), Integer.parseInt(text.substring("percent:".length())));
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            wanted.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new CohortSelector(text, Map.copyOf(wanted), 0);
    }

    /** Whether the node with this id and these labels is in the cohort. */
    public boolean matches(String nodeId, Map<String, String> nodeLabels) {
        if (percent > 0) {
            CRC32 crc = new CRC32();
            crc.update(nodeId.getBytes(StandardCharsets.UTF_8));
            return crc.getValue() % 100 < percent;
        }
        Map<String, String> have = nodeLabels == null ? Map.of() : nodeLabels;
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
    }

    @Override
    public String toString() {
        return text;
    }
}
