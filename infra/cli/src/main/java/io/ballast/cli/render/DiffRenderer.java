package io.ballast.cli.render;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Prints the server's per-resource, per-field diff (the {@code changes} of a dry run, an apply, a
 * validation or a revision diff) as a unified diff: a header naming both sides, then one hunk per
 * resource ({@code ~} updated, {@code +} created, {@code -} deleted) whose lines are
 * {@code -field: before} and {@code +field: after}. Values are JSON, so {@code "8080"} and
 * {@code 8080} read differently. Colour (red, green, yellow) only where the terminal allows it.
 */
public final class DiffRenderer {
    private final Terminal terminal;

    public DiffRenderer(Terminal terminal) {
        this.terminal = terminal;
    }

    /**
     * @param from what the left side is, e.g. {@code live (revision 12)}
     * @param to   what the right side is, e.g. {@code config/ (2 files)}
     */
    public String render(JsonNode changes, String from, String to) {
        StringBuilder out = new StringBuilder();
        if (changes == null || changes.isEmpty()) {
            return "";
        }
        line(out, terminal.bold("--- " + from));
        line(out, terminal.bold("+++ " + to));
        for (JsonNode change : changes) {
            String kind = change.path("change").asText();
            String title = change.path("type").asText() + " " + change.path("name").asText();
            switch (kind) {
                case "created" -> line(out, terminal.green("+ " + title));
                case "deleted" -> line(out, terminal.red("- " + title));
                default -> line(out, terminal.yellow("~ " + title));
            }
            for (JsonNode field : change.path("fields")) {
                String name = field.path("field").asText();
                JsonNode before = field.get("before");
                JsonNode after = field.get("after");
                if (present(before)) {
                    line(out, terminal.red("-   " + name + ": " + before));
                }
                if (present(after)) {
                    line(out, terminal.green("+   " + name + ": " + after));
                }
            }
        }
        return out.toString();
    }

    /** {@code 1 to create, 2 to update, 0 to delete} from a summary {created, updated, deleted}. */
    public static String plan(JsonNode summary) {
        return summary.path("created").asInt() + " to create, " + summary.path("updated").asInt() + " to update, "
                + summary.path("deleted").asInt() + " to delete";
    }

    /** {@code 1 created, 2 updated, 0 deleted}. */
    public static String done(JsonNode summary) {
        return summary.path("created").asInt() + " created, " + summary.path("updated").asInt() + " updated, "
                + summary.path("deleted").asInt() + " deleted";
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append(System.lineSeparator());
    }
}
