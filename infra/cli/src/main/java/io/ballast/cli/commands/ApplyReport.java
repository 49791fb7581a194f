package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.render.DiffRenderer;
import io.ballast.cli.render.Terminal;

/** Prints the answer of an apply or a rollback ({@code ApplyAnswer}): the diff, then one line saying what happened. */
final class ApplyReport {
    private ApplyReport() {
    }

    static void print(Terminal terminal, JsonNode answer, String target) {
        long revision = answer.path("revision").asLong();
        JsonNode changes = answer.path("changes");
        boolean dry = answer.path("dryRun").asBoolean();
        if (changes.isEmpty()) {
            terminal.out().println("No changes: the live configuration (revision " + revision + ") already matches " + target + ".");
            return;
        }
        String from = dry ? "live (revision " + revision + ")" : "live (before revision " + revision + ")";
        terminal.out().print(new DiffRenderer(terminal).render(changes, from, target));
        terminal.out().println();
        if (dry) {
            terminal.out().println("Dry run: " + DiffRenderer.plan(answer.path("summary")) + " (against revision " + revision
                    + "); nothing was changed.");
        } else {
            terminal.out().println(terminal.green("Applied") + ": revision " + revision + " (" + DiffRenderer.done(answer.path("summary")) + ").");
        }
    }
}
