package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.OutputOption;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.render.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ballast rollback N}: a new revision equal to revision N, through the same checks and push as any write. */
@Command(name = "rollback", description = {"Make a new revision equal to revision N and show what changed.",
        "Exit 0 done, 1 refused, 3 --wait timed out."})
public final class RollbackCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "N", description = "The revision to return to")
    long revision;

    @Mixin
    WriteOptions write;

    @Mixin
    WaitOptions waiting;

    @Mixin
    OutputOption output;

    @Option(names = "--dry-run", description = "Only show what would change")
    boolean dryRun;

    RollbackCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        ApiClient api = api();
        String query = "?dryRun=" + dryRun + (write.force ? "&force=true" : "");
        JsonNode answer = api.send("POST", "/revisions/" + revision + "/rollback" + query, null, null, write.headers()).json();
        if (output.format != Format.table) {
            out().print(Format.write(answer, output.format));
        } else {
            ApplyReport.print(terminal(), answer, "revision " + revision);
        }
        if (dryRun || !waiting.wait) {
            return ExitCode.OK;
        }
        return new FleetWait(api, terminal(), output.format == Format.table ? out() : terminal().err()).await(answer.path("revision").asLong(), waiting.timeout);
    }
}
