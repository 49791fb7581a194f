package io.ballast.cli.commands;

import io.ballast.cli.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code get}, {@code tokens} …): alone it prints its usage and fails. */
abstract class Group implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: '" + spec.qualifiedName() + "' needs a subcommand");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.ERROR;
    }
}
