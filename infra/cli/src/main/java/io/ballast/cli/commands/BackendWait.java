package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.render.Progress;
import io.ballast.cli.render.Terminal;
import java.time.Duration;

/**
 * Waits until a backend reaches a state across the fleet ({@code drained} after drain or disable,
 * {@code healthy} after enable) by polling {@code GET /pools/{pool}/health}, showing its summary
 * ("draining (4 in flight)") while it waits.
 */
final class BackendWait {
    private static final long POLL_MILLIS = 250;

    private final ApiClient api;
    private final Terminal terminal;

    BackendWait(ApiClient api, Terminal terminal) {
        this.api = api;
        this.terminal = terminal;
    }

    int await(String pool, String backend, String wanted, Duration timeout) {
        Progress progress = new Progress(terminal);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode health = null;
            for (JsonNode h : api.get("/pools/" + ApiClient.segment(pool) + "/health").json().path("items")) {
                if (h.path("backend").asText().equals(backend)) {
                    health = h;
                }
            }
            String state = health == null ? "unknown" : health.path("state").asText();
            String summary = health == null ? "not reported yet" : health.path("summary").asText();
            if (wanted.equals(state)) {
                progress.finish();
                terminal.out().println("Backend " + pool + "/" + backend + ": " + summary + " (waited " + progress.elapsed() + ").");
                return ExitCode.OK;
            }
            if (System.nanoTime() - deadline >= 0) {
                progress.finish();
                terminal.err().println(terminal.red("Timed out") + " after " + timeout.toSeconds() + "s waiting for backend "
                        + pool + "/" + backend + " to be " + wanted + ": " + summary + ".");
                return ExitCode.TIMED_OUT;
            }
            progress.update("backend " + pool + "/" + backend + ": " + summary + "; waiting until " + wanted);
            Sleep.millis(POLL_MILLIS);
        }
    }
}
