package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.OutputOption;
import io.ballast.cli.Session;
import io.ballast.cli.render.DiffRenderer;
import io.ballast.cli.render.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ballast revisions diff A B}: what changed from revision A to revision B. */
@Command(name = "revisions", description = "Compare revisions (list them with 'get revisions').",
        subcommands = RevisionsCommand.Diff.class)
public final class RevisionsCommand extends Group {

    @Command(name = "diff", description = "What changed from revision A to revision B, per resource and field.")
    static final class Diff extends ApiCommand {
        @Parameters(index = "0", paramLabel = "A")
        long from;

        @Parameters(index = "1", paramLabel = "B")
        long to;

        @Mixin
        OutputOption output;

        Diff(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            JsonNode answer = api().get("/revisions/" + to + "/diff?against=" + from).json();
            if (output.format != Format.table) {
                out().print(Format.write(answer, output.format));
            } else if (answer.path("changes").isEmpty()) {
                out().println("No differences between revision " + from + " and revision " + to + ".");
            } else {
                out().print(new DiffRenderer(terminal()).render(answer.path("changes"), "revision " + from, "revision " + to));
                out().println();
                out().println(DiffRenderer.done(answer.path("summary")) + ".");
            }
            return ExitCode.OK;
        }
    }
}
