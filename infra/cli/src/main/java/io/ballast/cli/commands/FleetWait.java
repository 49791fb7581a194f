package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.render.Progress;
import io.ballast.cli.render.Terminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits until every connected data plane has answered a revision, by polling its propagation
 * ({@code GET /revisions/{n}}: per node ACKED, NACKED, PENDING or SKIPPED). Shows which nodes are
 * still pending while it waits, and ends with the propagation time (the slowest node's commit-to-ack).
 * A nack ends the wait at once with the node's reasons.
 */
final class FleetWait {
    private static final long POLL_MILLIS = 200;

    private final ApiClient api;
    private final Terminal terminal;
    private final java.io.PrintStream result;

    /** @param result where the final line goes: standard output, or standard error when stdout carries JSON/YAML */
    FleetWait(ApiClient api, Terminal terminal, java.io.PrintStream result) {
        this.api = api;
        this.terminal = terminal;
        this.result = result;
    }

    /** @return {@link ExitCode#OK}, {@link ExitCode#ERROR} on a nack, {@link ExitCode#TIMED_OUT} */
    int await(long revision, Duration timeout) {
        Progress progress = new Progress(terminal);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode propagation = api.get("/revisions/" + revision).json().path("propagation");
            List<String> pending = new ArrayList<>();
            List<JsonNode> nacked = new ArrayList<>();
            int done = 0;
            long slowestMs = -1;
            String slowest = null;
            for (JsonNode node : propagation) {
                switch (node.path("status").asText()) {
                    case "PENDING" -> pending.add(node.path("nodeId").asText());
                    case "NACKED" -> nacked.add(node);
                    case "ACKED" -> {
                        done++;
                        long ms = node.path("latencyMs").asLong(-1);
                        if (ms > slowestMs) {
                            slowestMs = ms;
                            slowest = node.path("nodeId").asText();
                        }
                    }
                    default -> done++;
                }
            }
            if (!nacked.isEmpty()) {
                progress.finish();
                for (JsonNode node : nacked) {
                    terminal.err().println(terminal.red("revision " + revision + " was refused by " + node.path("nodeId").asText())
                            + " (it keeps its previous configuration):");
                    for (JsonNode e : node.path("errors")) {
                        terminal.err().println("  - " + e.path("field").asText() + ": " + e.path("message").asText());
                    }
                }
                return ExitCode.ERROR;
            }
            int total = done + pending.size();
            if (pending.isEmpty()) {
                progress.finish();
                if (total == 0) {
                    result.println("Revision " + revision + ": no data plane is connected, nothing to wait for.");
                } else {
                    result.println("Revision " + revision + " runs on " + total + " of " + total + " data planes"
                            + (slowestMs >= 0 ? "; propagation " + slowestMs + " ms (slowest: " + slowest + ")" : "")
                            + "; waited " + progress.elapsed() + ".");
                }
                return ExitCode.OK;
            }
            if (System.nanoTime() - deadline >= 0) {
                progress.finish();
                terminal.err().println(terminal.red("Timed out") + " after " + timeout.toSeconds() + "s: revision " + revision
                        + " runs on " + done + " of " + total + " data planes; still pending: " + String.join(", ", pending) + ".");
                return ExitCode.TIMED_OUT;
            }
            progress.update("revision " + revision + ": " + done + " of " + total + " data planes applied; waiting for "
                    + String.join(", ", pending));
            Sleep.millis(POLL_MILLIS);
        }
    }
}
