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
        "Exit 0 applied, 1 refused or failed, 3 --wait timed out."})
public final class ApplyCommand extends ApiCommand {
    @Mixin
    FileOptions files;

    @Mixin
    WriteOptions write;

    @Mixin
    WaitOptions waiting;

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
        JsonNode answer = dryRun
                ? ConfigCalls.dryRun(api, config, files.prune, write.headers())
                : ConfigCalls.apply(api, config, files.prune, write.force, write.headers());
        if (output.format != Format.table) {
            out().print(Format.write(answer, output.format));
        } else {
            ApplyReport.print(terminal(), answer, config.describe(files.path));
        }
        if (dryRun || !waiting.wait) {
            return ExitCode.OK;
        }
        return new FleetWait(api, terminal(), output.format == Format.table ? out() : terminal().err()).await(answer.path("revision").asLong(), waiting.timeout);
    }
}
