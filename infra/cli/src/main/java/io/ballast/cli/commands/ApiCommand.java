package io.ballast.cli.commands;

import io.ballast.cli.ConnectionOptions;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.render.Terminal;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that calls the control plane; subclasses answer the exit code. */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    final Session session;

    ApiCommand(Session session) {
        this.session = session;
    }

    ApiClient api() {
        return session.api(connection);
    }

    Terminal terminal() {
        return session.terminal();
    }

    PrintStream out() {
        return session.terminal().out();
    }
}
