package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.api.ContextStore;
import io.ballast.cli.api.Endpoint;
import io.ballast.cli.api.SavedContext;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ballast login --url URL --token-file F}: checks the token against the control plane
 * ({@code GET /me}), then saves URL and token as the context (mode 0600) for later commands.
 */
@Command(name = "login", description = "Check a token and save it with the URL as the context of later commands "
        + "(in $XDG_CONFIG_HOME/ballast/config or ~/.config/ballast/config, mode 0600).")
public final class LoginCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "The control plane, e.g. http://127.0.0.1:9000")
    String url;

    @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "A file holding the token ('-': standard input)")
    Path tokenFile;

    @Option(names = "--config", paramLabel = "FILE", description = "Context file to write [$BALLAST_CONFIG, else the XDG location]")
    Path configFile;

    private final Session session;

    LoginCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Endpoint endpoint = new Endpoint(Endpoint.baseUri(url), Endpoint.readTokenFile(tokenFile));
        JsonNode me = new ApiClient(endpoint, Duration.ofSeconds(30)).get("/me").json();
        ContextStore store = ContextStore.locate(configFile, session.env());
        store.save(new SavedContext(endpoint.base().toString(), endpoint.token()));
        session.terminal().out().println("Logged in to " + endpoint.base() + " as " + me.path("name").asText() + " ("
                + me.path("role").asText() + "); context saved in " + store.path() + ".");
        return ExitCode.OK;
    }
}
