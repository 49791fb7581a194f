package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.CliException;
import io.ballast.cli.ExitCode;
import io.ballast.cli.OutputOption;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.render.Format;
import io.ballast.cli.render.Progress;
import io.ballast.cli.render.RolloutReport;
import io.ballast.cli.render.Terminal;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ballast rollout status|promote|abort [ID]}: canary rollouts (writes made with {@code --rollout canary}). */
@Command(name = "rollout", description = {"Follow, promote or abort a canary rollout (started by 'apply --rollout canary').",
        "ID defaults to the newest rollout (for promote and abort: the baking one)."},
        subcommands = {RolloutCommand.Status.class, RolloutCommand.Promote.class, RolloutCommand.Abort.class})
public final class RolloutCommand extends Group {

    @Command(name = "status", description = {"Show a rollout: state, cohort members, gate readings, abort reason.",
            "With --watch, follow it until it ends: exit 0 promoted, 1 aborted, 3 --timeout passed."})
    static final class Status extends ApiCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID")
        Long id;

        @Option(names = {"-w", "--watch"}, description = "Follow it until it is promoted or aborted")
        boolean watch;

        @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "How long --watch follows it [${DEFAULT-VALUE}]")
        Duration timeout;

        @Mixin
        OutputOption output;

        Status(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            ApiClient api = api();
            long rollout = id != null ? id : newest(api, false);
            if (!watch) {
                JsonNode r = api.get("/rollouts/" + rollout).json();
                print(r);
                return ExitCode.OK;
            }
            return follow(api, rollout, timeout, terminal(), output.format, out());
        }

        private void print(JsonNode r) {
            if (output.format != Format.table) {
                out().print(Format.write(r, output.format));
            } else {
                out().print(RolloutReport.render(r, terminal(), Instant.now()));
            }
        }
    }

    /**
     * Polls rollout {@code id} until it ends, showing the gates live, then prints it. Exit 0 promoted,
     * 1 aborted, 3 when {@code timeout} passed first.
     */
    static int follow(ApiClient api, long id, Duration timeout, Terminal terminal, Format format, PrintStream out) {
        Progress progress = new Progress(terminal);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode r = api.get("/rollouts/" + id).json();
            if (RolloutReport.ended(r) || System.nanoTime() - deadline >= 0) {
                progress.finish();
                out.print(format == Format.table ? RolloutReport.render(r, terminal, Instant.now()) : Format.write(r, format));
                if (!RolloutReport.ended(r)) {
                    terminal.err().println(terminal.red("Timed out") + " after " + timeout.toSeconds() + "s: rollout " + id + " is still baking");
                    return ExitCode.TIMED_OUT;
                }
                return "promoted".equals(r.path("state").asText()) ? ExitCode.OK : ExitCode.ERROR;
            }
            progress.update("rollout " + id + " baking revision " + r.path("revision").asLong() + " on " + r.path("cohort").asText()
                    + ": " + gates(r));
            Sleep.millis(terminal.tty() ? 250 : 1000);
        }
    }

    private static String gates(JsonNode r) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode g : r.path("readings").path("gates")) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(g.path("name").asText()).append(' ').append(g.path("value").asText());
        }
        String waiting = r.path("waitingFor").asText("");
        return (sb.isEmpty() ? "no reading yet" : sb.toString()) + (waiting.isEmpty() ? "" : "; waiting for " + waiting);
    }

    /** The newest rollout's id; with {@code baking}, it must be baking. */
    static long newest(ApiClient api, boolean baking) {
        JsonNode items = api.get("/rollouts?limit=1").json().path("items");
        if (items.isEmpty()) {
            throw new CliException("there is no rollout yet (start one with 'ballast apply --rollout canary')");
        }
        JsonNode r = items.get(0);
        if (baking && !"baking".equals(r.path("state").asText())) {
            throw new CliException("no rollout is baking (the newest, " + r.path("id").asLong() + ", is " + r.path("state").asText() + ")");
        }
        return r.path("id").asLong();
    }

    @Command(name = "promote", description = "Send the baking rollout's revision to the whole fleet now (needs an admin token).")
    static final class Promote extends ApiCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID")
        Long id;

        @Mixin
        OutputOption output;

        Promote(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            ApiClient api = api();
            long rollout = id != null ? id : newest(api, true);
            JsonNode r = api.post("/rollouts/" + rollout + "/promote", null).json();
            if (output.format != Format.table) {
                out().print(Format.write(r, output.format));
            } else {
                out().println("Rollout " + rollout + " promoted: revision " + r.path("revision").asLong() + " goes to every data plane.");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "abort", description = "Abort the baking rollout: the cohort goes back to the previous revision (needs an admin token).")
    static final class Abort extends ApiCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID")
        Long id;

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Why: stored as the abort reason")
        String message;

        @Mixin
        OutputOption output;

        Abort(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            ApiClient api = api();
            long rollout = id != null ? id : newest(api, true);
            Map<String, String> headers = new LinkedHashMap<>();
            if (message != null && !message.isBlank()) {
                headers.put("X-Ballast-Change-Message", message.strip());
            }
            JsonNode r = api.send("POST", "/rollouts/" + rollout + "/abort", null, null, headers).json();
            if (output.format != Format.table) {
                out().print(Format.write(r, output.format));
            } else {
                out().println("Rollout " + rollout + " aborted: revision " + r.path("abortRevision").asText("?") + " puts revision "
                        + r.path("baseRevision").asLong() + " back on the cohort.");
            }
            return ExitCode.OK;
        }
    }
}
