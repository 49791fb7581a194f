package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ballast drain|enable|disable POOL BACKEND}: a backend's admin state. With {@code --wait}, the
 * command follows the backend's fleet-wide health until it is drained (drain, disable) or healthy (enable).
 */
abstract class AdminStateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "POOL")
    String pool;

    @Parameters(index = "1", paramLabel = "BACKEND", description = "The backend's name (host:port unless named otherwise)")
    String backend;

    @Mixin
    WaitOptions waiting;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Why: stored with the revision")
    String message;

    @Option(names = "--force", description = "Even if the pool would be left without an enabled backend")
    boolean force;

    private final String action;
    private final String wanted;

    AdminStateCommand(Session session, String action, String wanted) {
        super(session);
        this.action = action;
        this.wanted = wanted;
    }

    @Override
    public Integer call() {
        ApiClient api = api();
        Map<String, String> headers = message == null || message.isBlank() ? Map.of() : Map.of("X-Ballast-Change-Message", message.strip());
        String path = "/pools/" + ApiClient.segment(pool) + "/backends/" + ApiClient.segment(backend) + "/" + action
                + (force ? "?force=true" : "");
        var response = api.send("POST", path, null, null, headers);
        JsonNode b = response.json();
        String revision = response.header("X-Ballast-Revision").map(r -> " (revision " + r + ")").orElse("");
        out().println("Backend " + pool + "/" + b.path("name").asText(backend) + " is " + b.path("adminState").asText() + revision + ".");
        if (!waiting.wait) {
            return ExitCode.OK;
        }
        return new BackendWait(api, terminal()).await(pool, b.path("name").asText(backend), wanted, waiting.timeout);
    }

    @Command(name = "drain", description = {"Drain a backend: no new requests; in-flight ones finish.",
            "--wait: until every data plane reports it drained."})
    static final class Drain extends AdminStateCommand {
        Drain(Session session) {
            super(session, "drain", "drained");
        }
    }

    @Command(name = "enable", description = {"Put a backend back into rotation.", "--wait: until every data plane finds it healthy."})
    static final class Enable extends AdminStateCommand {
        Enable(Session session) {
            super(session, "enable", "healthy");
        }
    }

    @Command(name = "disable", description = {"Take a backend out of rotation entirely.", "--wait: until every data plane reports it drained."})
    static final class Disable extends AdminStateCommand {
        Disable(Session session) {
            super(session, "disable", "drained");
        }
    }
}
