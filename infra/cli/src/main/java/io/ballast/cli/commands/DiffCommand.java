package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.OutputOption;
import io.ballast.cli.Session;
import io.ballast.cli.files.MergedConfig;
import io.ballast.cli.render.DiffRenderer;
import io.ballast.cli.render.Format;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ballast diff -f FILE|DIR}: what applying would change, from the server's dry run. Exit 0 none, 2 some. */
@Command(name = "diff", description = {"Show what applying the files would change, per resource and field (a server-side dry run).",
        "Exit 0 no change, 2 changes, 1 error."})
public final class DiffCommand extends ApiCommand {
    @Mixin
    FileOptions files;

    @Mixin
    OutputOption output;

    DiffCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        MergedConfig config = files.read();
        JsonNode answer = ConfigCalls.dryRun(api(), config, files.prune, Map.of());
        boolean changes = !answer.path("changes").isEmpty();
        if (output.format != Format.table) {
            out().print(Format.write(answer, output.format));
        } else if (changes) {
            out().print(new DiffRenderer(terminal()).render(answer.path("changes"),
                    "live (revision " + answer.path("revision").asLong() + ")", config.describe(files.path)));
            out().println();
            out().println("Plan: " + DiffRenderer.plan(answer.path("summary")) + " (against revision "
                    + answer.path("revision").asLong() + ").");
        } else {
            out().println("No changes: the live configuration (revision " + answer.path("revision").asLong() + ") matches "
                    + config.describe(files.path) + ".");
        }
        return changes ? ExitCode.CHANGES : ExitCode.OK;
    }
}
