package io.ballast.cli;

import io.ballast.cli.render.Format;
import picocli.CommandLine.Option;

/** {@code -o table|json|yaml}: a table for people (the default), the API's answer for scripts. */
public final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or yaml [${DEFAULT-VALUE}]")
    public Format format;
}
