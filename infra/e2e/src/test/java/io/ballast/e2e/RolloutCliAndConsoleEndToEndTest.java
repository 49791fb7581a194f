package io.ballast.e2e;

import static io.ballast.e2e.E2e.awaitApplied;
import static io.ballast.e2e.E2e.awaitServing;
import static io.ballast.e2e.E2e.json;
import static io.ballast.e2e.E2e.webPool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code ballast apply --rollout canary}, {@code ballast rollout status|promote|abort} through the packaged CLI, and
 * the console's rollout panel in headless chromium, against a real control plane and two data planes (one labelled
 * {@code canary=true}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutCliAndConsoleEndToEndTest {
    private final Closer closer = new Closer();
    private ControlPlane cp;
    private DataPlane canary;
    private DataPlane other;
    private Http api;
    private Path work;
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        cp = closer.later(ControlPlane.start("e2e-rollout-cli-cp", ManagedProcess.tempDir("ballast-e2e-rollout-cli-cp")));
        api = cp.admin();
        TestBackend web = closer.later(TestBackend.start("web"));
        webPool(api, web.port());
        canary = closer.later(DataPlane.startOn("e2e-rollout-cli-canary", cp.url(), ManagedProcess.tempDir("ballast-e2e-rollout-cli-c"),
                Ports.free(), Map.of("BALLAST_LABELS", "canary=true")));
        other = closer.later(DataPlane.startOn("e2e-rollout-cli-other", cp.url(), ManagedProcess.tempDir("ballast-e2e-rollout-cli-o"),
                Ports.free(), Map.of()));
        awaitServing(canary, "web");
        awaitServing(other, "web");
        work = ManagedProcess.tempDir("ballast-e2e-rollout-cli").toPath();
        cli = new Cli(Map.of("BALLAST_URL", cp.url(), "BALLAST_TOKEN", ControlPlane.ADMIN_TOKEN,
                "XDG_CONFIG_HOME", work.resolve("xdg").toString()));
    }

    @AfterAll
    void stopEverything() throws Exception {
        closer.close();
    }

    private Path file(String name, String text) throws IOException {
        Path p = work.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void applyWithACanaryAndWaitFollowsTheRolloutUntilItIsPromoted() throws Exception {
        Path f = file("promoted.yaml", "pools:\n  - name: cli-canary-promoted\n");
        Cli.Result applied = cli.run("apply", "-f", f.toString(), "--rollout", "canary", "--cohort", "canary=true",
                "--bake-time", "3s", "--wait", "--timeout", "60s");
        assertThat(applied.exit()).as(applied.toString()).isZero();
        assertThat(applied.err()).containsPattern("Rollout \\d+ started: follow it with 'ballast rollout status \\d+ --watch'");
        assertThat(applied.out()).containsPattern("Rollout \\d+: promoted, revision \\d+ on cohort canary=true");
        assertThat(applied.out()).contains("e2e-rollout-cli-canary");
        Cli.Result status = cli.run("rollout", "status", "-o", "json");
        assertThat(status.exit()).as(status.toString()).isZero();
        JsonNode rollout = E2e.JSON.readTree(status.out());
        assertThat(rollout.path("state").asText()).isEqualTo("promoted");
        assertThat(rollout.path("endedBy").asText()).isEqualTo("gates");
        awaitApplied(other, rollout.path("revision").asLong());
    }

    @Test
    void aBakingRolloutIsShownAbortedWithItsReasonAndWatchingItExits1() throws Exception {
        Path f = file("aborted.yaml", "pools:\n  - name: cli-canary-aborted\n");
        Cli.Result applied = cli.run("apply", "-f", f.toString(), "--rollout", "canary", "--cohort", "canary=true", "--bake-time", "10m");
        assertThat(applied.exit()).as(applied.toString()).isZero();
        Cli.Result baking = cli.run("rollout", "status");
        assertThat(baking.exit()).as(baking.toString()).isZero();
        assertThat(baking.out()).containsPattern("Rollout \\d+: baking").contains("COHORT MEMBER").contains("e2e-rollout-cli-canary");

        // While it bakes, a plain write is refused with the API's reason (and exit 1).
        Path other = file("refused.yaml", "pools:\n  - name: cli-refused\n");
        Cli.Result refused = cli.run("apply", "-f", other.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("is baking revision");

        Cli.Result abort = cli.run("rollout", "abort", "-m", "wrong file");
        assertThat(abort.exit()).as(abort.toString()).isZero();
        assertThat(abort.out()).containsPattern("Rollout \\d+ aborted: revision \\d+ puts revision \\d+ back on the cohort\\.");
        Cli.Result watched = cli.run("rollout", "status", "--watch");
        assertThat(watched.exit()).as("an aborted rollout: " + watched).isEqualTo(1);
        assertThat(watched.out()).contains("reason: aborted by admin: wrong file");
        Cli.Result nothing = cli.run("rollout", "promote");
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.err()).contains("no rollout is baking");
        assertThat(api.get("/pools/cli-canary-aborted").statusCode()).isEqualTo(404);
    }

    @Test
    void theOverviewShowsTheBakingRolloutAndAnAdminAbortsItThere() throws Exception {
        var write = api.post("/pools?rollout=canary&cohort=canary=true&bakeTime=10m", "{\"name\": \"console-canary\"}");
        assertThat(write.statusCode()).as(write.body()).isEqualTo(201);
        long id = Long.parseLong(write.headers().firstValue("X-Ballast-Rollout").orElseThrow());
        try (Browser browser = Browser.start()) {
            browser.open(cp.url() + "/#/overview");
            browser.await("#token");
            browser.type("#token", ControlPlane.ADMIN_TOKEN);
            browser.click("#signin");
            browser.awaitText("#rollout .rollout-headline", "Rollout " + id, Duration.ofSeconds(15));
            browser.awaitText("#rollout .rollout-headline", "baking", Duration.ofSeconds(5));
            browser.await("#rollout-members tr[data-node='e2e-rollout-cli-canary']");
            assertThat(browser.all("#rollout-members tr[data-node='e2e-rollout-cli-other']")).as("not in the cohort").isEmpty();
            browser.screenshot("rollout-baking");
            browser.click("#rollout-abort");
            browser.confirm();
            browser.awaitText("#rollout .rollout-headline", "aborted", Duration.ofSeconds(15));
            browser.awaitText("#rollout-reason", "aborted by admin", Duration.ofSeconds(5));
            browser.screenshot("rollout-aborted");
        }
        assertThat(json(api.get("/rollouts/" + id)).path("state").asText()).isEqualTo("aborted");
    }
}
