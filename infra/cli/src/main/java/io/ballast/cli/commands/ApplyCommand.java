package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.OutputOption;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.files.MergedConfig;
import io.ballast.cli.render.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ballast apply -f FILE|DIR}: one transaction, one revision (none when nothing changes). */
@Command(name = "apply", description = {"Apply configuration files in one transaction and show what changed.",
        "With --wait, show progress until every connected data plane runs the new revision.",
        "With --rollout canary --wait, follow the rollout until it ends, then the fleet.",
        "Exit 0 applied, 1 refused or failed (or the canary was aborted), 3 --wait timed out."})
public final class ApplyCommand extends ApiCommand {
    @Mixin
    FileOptions files;

    @Mixin
    WriteOptions write;

    @Mixin
    WaitOptions waiting;

    @Mixin
    RolloutOptions rollout;

    @Mixin
    OutputOption output;

    @Option(names = "--dry-run", description = "Only show what would change")
    boolean dryRun;

    ApplyCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        MergedConfig config = files.read();
        ApiClient api = api();
        if (dryRun && rollout.rollout != null) {
            throw new io.ballast.cli.CliException("--dry-run and --rollout do not go together: a dry run pushes nothing");
        }
        Long rolloutId = null;
        JsonNode answer;
        if (dryRun) {
            answer = ConfigCalls.dryRun(api, config, files.prune, write.headers());
        } else {
            io.ballast.cli.api.ApiResponse response = ConfigCalls.apply(api, config, files.prune, write.force, rollout.query(), write.headers());
            answer = response.json();
            rolloutId = response.header("X-Ballast-Rollout").map(Long::valueOf).orElse(null);
        }
        if (output.format != Format.table) {
            out().print(Format.write(answer, output.format));
        } else {
            ApplyReport.print(terminal(), answer, config.describe(files.path));
        }
        if (rolloutId != null) {
            terminal().err().println("Rollout " + rolloutId + " started: follow it with 'ballast rollout status " + rolloutId + " --watch'.");
        }
        if (dryRun || !waiting.wait) {
            return ExitCode.OK;
        }
        if (rolloutId != null) {
            int ended = RolloutCommand.follow(api, rolloutId, waiting.timeout, terminal(), output.format,
                    output.format == Format.table ? out() : terminal().err());
            if (ended != ExitCode.OK) {
                return ended;
            }
        }
        return new FleetWait(api, terminal(), output.format == Format.table ? out() : terminal().err()).await(answer.path("revision").asLong(), waiting.timeout);
    }
}
