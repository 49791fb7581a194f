package io.ballast.cli;

import io.ballast.cli.commands.ApplyCommand;
import io.ballast.cli.commands.CommandsIndex;
import io.ballast.cli.render.Terminal;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code ballast}: the command-line client of the control plane. Exit codes follow API.md
 * ({@link ExitCode}); failures print one readable message on standard error, never a stack trace
 * (set {@code BALLAST_DEBUG=1} to see one).
 */
@Command(name = "ballast", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = Ballast.Version.class, sortOptions = false,
        description = {"Drive a Ballast control plane: list and describe, diff and apply configuration files, "
                + "drain backends, roll back, manage tokens.",
                "Needs BALLAST_URL and BALLAST_TOKEN (or BALLAST_TOKEN_FILE), or a context saved by 'ballast login'.",
                "Exit codes: 0 success (diff: no change), 1 error, 2 diff found changes, 3 --wait timed out."})
public final class Ballast {

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), Terminal.system(System.getenv())));
    }

    /** Runs one command line and answers its exit code. */
    public static int run(String[] args, Map<String, String> env, Terminal terminal) {
        Session session = new Session(env, terminal);
        CommandLine cli = new CommandLine(new Ballast(), new SessionFactory(session));
        CommandsIndex.addTo(cli);
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(terminal.color() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cli.setOut(new PrintWriter(terminal.out(), true));
        cli.setErr(new PrintWriter(terminal.err(), true));
        boolean debug = env.get("BALLAST_DEBUG") != null && !env.get("BALLAST_DEBUG").isEmpty();
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (debug) {
                e.printStackTrace(terminal.err());
            }
            terminal.err().println(terminal.red("error") + ": " + message(e));
            return ExitCode.ERROR;
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            terminal.err().println(terminal.red("error") + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, terminal.err());
            terminal.err().println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.ERROR;
        });
        return cli.execute(args);
    }

    private static String message(Exception e) {
        if (e instanceof CliException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ApplyCommand.class.getPackage().getImplementationVersion();
            return new String[] {"ballast " + (v == null ? "(development build)" : v)};
        }
    }
}
