package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.Session;
import io.ballast.cli.files.MergedConfig;
import io.ballast.cli.render.DiffRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ballast validate -f FILE|DIR}: exit 0 when the control plane would accept it, 1 with the errors otherwise. */
@Command(name = "validate", description = {"Check configuration files against the live state without changing anything.",
        "Exit 0 valid, 1 invalid (each error names its file and field)."})
public final class ValidateCommand extends ApiCommand {
    @Mixin
    FileOptions files;

    ValidateCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        MergedConfig config = files.read();
        JsonNode answer = ConfigCalls.validate(api(), config, files.prune);
        out().println(terminal().green("valid") + ": " + config.describe(files.path) + " ("
                + DiffRenderer.plan(answer.path("summary")) + ")");
        return ExitCode.OK;
    }
}
