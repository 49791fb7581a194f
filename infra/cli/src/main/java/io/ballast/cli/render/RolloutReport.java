package io.ballast.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A rollout of {@code GET /api/v1/rollouts/{id}} for people: one headline (state, revisions, cohort,
 * time left), the cohort's members, each gate with its reading, and the reason of an abort. Fits 80
 * columns. Stateless.
 */
public final class RolloutReport {
    private RolloutReport() {
    }

    public static String render(JsonNode r, Terminal terminal, Instant now) {
        StringBuilder sb = new StringBuilder();
        String state = r.path("state").asText();
        String coloured = switch (state) {
            case "promoted" -> terminal.green(state);
            case "aborted" -> terminal.red(state);
            default -> terminal.yellow(state);
        };
        sb.append("Rollout ").append(r.path("id").asLong()).append(": ").append(coloured)
                .append(", revision ").append(r.path("revision").asLong()).append(" on cohort ").append(r.path("cohort").asText())
                .append(", the rest on revision ").append(r.path("baseRevision").asLong()).append('\n');
        if ("baking".equals(state)) {
            sb.append("  bake time ").append(r.path("bakeTime").asText()).append(", ").append(left(r.path("bakeEndsAt"), now));
            String waiting = r.path("waitingFor").asText("");
            if ("promote".equals(waiting)) {
                sb.append("; waiting for 'ballast rollout promote ").append(r.path("id").asLong()).append('\'');
            } else if ("heartbeats".equals(waiting)) {
                sb.append("; waiting for the cohort's heartbeats");
            }
            sb.append('\n');
            if (r.hasNonNull("owner")) {
                sb.append("  judged by control plane ").append(r.path("owner").asText()).append('\n');
            }
        } else {
            sb.append("  ended ").append(r.path("endedAt").asText("")).append(" by ").append(r.path("endedBy").asText("?"));
            if (r.hasNonNull("abortRevision")) {
                sb.append("; revision ").append(r.path("abortRevision").asLong()).append(" put revision ")
                        .append(r.path("baseRevision").asLong()).append(" back");
            }
            sb.append('\n');
        }
        if (r.hasNonNull("reason")) {
            sb.append("  ").append("aborted".equals(state) ? terminal.red("reason") : "note").append(": ")
                    .append(r.path("reason").asText()).append('\n');
        }
        Table members = new Table("COHORT MEMBER", "APPLIED", "TARGET", "SYNC");
        for (JsonNode m : r.path("members")) {
            members.row(m.path("nodeId").asText(), m.path("appliedRevision").asText("-"), m.path("targetRevision").asText(),
                    m.path("connected").asBoolean() ? m.path("syncState").asText() : "OFFLINE");
        }
        sb.append('\n');
        sb.append(members.isEmpty() ? "No data plane matches the cohort " + r.path("cohort").asText() + ".\n" : members.render(terminal));
        JsonNode readings = r.path("readings");
        if (readings.isObject()) {
            sb.append('\n');
            Table gates = new Table("GATE", "LIMIT", "READING", "");
            for (JsonNode g : readings.path("gates")) {
                boolean exceeded = g.path("exceeded").asBoolean();
                gates.row(g.path("name").asText(), g.path("limit").asText(), g.path("value").asText(),
                        exceeded ? terminal.red("TRIPPED") : terminal.green("ok"));
            }
            sb.append(gates.render(terminal));
            sb.append(side("cohort", readings.path("cohort"))).append(side("rest", readings.path("rest")));
        }
        return sb.toString();
    }

    /** Whether the rollout is over. */
    public static boolean ended(JsonNode r) {
        return !"baking".equals(r.path("state").asText());
    }

    private static String side(String name, JsonNode s) {
        StringBuilder sb = new StringBuilder("  ").append(name).append(": ").append(s.path("requests").asLong()).append(" requests, ")
                .append(s.path("errors5xx").asLong()).append(" 5xx");
        if (s.hasNonNull("errorRatePercent")) {
            sb.append(String.format(Locale.ROOT, " (%.1f%%)", s.path("errorRatePercent").asDouble()));
        }
        if (s.hasNonNull("p99Millis")) {
            sb.append(String.format(Locale.ROOT, ", p99 %.1f ms", s.path("p99Millis").asDouble()));
        }
        sb.append(", ").append(s.path("nodes").size()).append(" data plane(s)\n");
        return sb.toString();
    }

    private static String left(JsonNode instant, Instant now) {
        try {
            long s = Duration.between(now, Instant.parse(instant.asText())).toSeconds();
            return s > 0 ? s + "s left" : "bake time over";
        } catch (DateTimeParseException e) {
            return "ends " + instant.asText();
        }
    }
}
