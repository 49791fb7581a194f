package io.ballast.cli.commands;

import io.ballast.cli.ExitCode;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ballast export}: the whole configuration, as the file {@code apply} takes back unchanged. */
@Command(name = "export", description = "Print the whole configuration as YAML or JSON (what apply takes back unchanged).")
public final class ExportCommand extends ApiCommand {
    /** Only the file formats: a table of a whole configuration would not be a file any more. */
    enum FileFormat { yaml, json }

    @Option(names = {"-o", "--output"}, defaultValue = "yaml", paramLabel = "FORMAT", description = "yaml or json [${DEFAULT-VALUE}]")
    FileFormat format;

    ExportCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() {
        ApiResponse answer = api().get("/config", format == FileFormat.yaml ? "application/yaml" : "application/json");
        String body = answer.body();
        out().print(body.endsWith("\n") ? body : body + System.lineSeparator());
        answer.header("X-Ballast-Revision").ifPresent(r -> terminal().err().println("# revision " + r));
        return ExitCode.OK;
    }
}
