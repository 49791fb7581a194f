package io.ballast.cli.commands;

import picocli.CommandLine;

/** Adds every command to the root, in the order {@code ballast --help} lists them. */
public final class CommandsIndex {
    private CommandsIndex() {
    }

    public static void addTo(CommandLine root) {
        for (Class<?> command : new Class<?>[] {GetCommand.class, DescribeCommand.class, ValidateCommand.class, DiffCommand.class,
                ApplyCommand.class, ExportCommand.class, AdminStateCommand.Drain.class, AdminStateCommand.Enable.class,
                AdminStateCommand.Disable.class, RollbackCommand.class, RevisionsCommand.class, RolloutCommand.class, TokensCommand.class,
                LoginCommand.class, CompletionCommand.class}) {
            root.addSubcommand(command);
        }
    }
}
