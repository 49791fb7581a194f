package io.ballast.cli;

import io.ballast.cli.api.ApiClient;
import io.ballast.cli.api.ContextStore;
import io.ballast.cli.api.Endpoint;
import io.ballast.cli.render.Terminal;
import java.time.Duration;
import java.util.Map;

/**
 * What every command may use: the environment it was started with and the terminal it writes to.
 * One per run of the program.
 */
public final class Session {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> env;
    private final Terminal terminal;

    public Session(Map<String, String> env, Terminal terminal) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    public Map<String, String> env() {
        return env;
    }

    public Terminal terminal() {
        return terminal;
    }

    public ContextStore contextStore(ConnectionOptions options) {
        return ContextStore.locate(options.configFile, env);
    }

    /** A client for the control plane the options, the environment or the saved context name. */
    public ApiClient api(ConnectionOptions options) {
        ContextStore store = contextStore(options);
        Endpoint endpoint = Endpoint.resolve(options.url, options.tokenFile, env, store);
        if (store.readableByOthers()) {
            terminal.err().println("warning: " + store.path() + " holds a token and others can read it; run: chmod 600 " + store.path());
        }
        return new ApiClient(endpoint, REQUEST_TIMEOUT);
    }
}
