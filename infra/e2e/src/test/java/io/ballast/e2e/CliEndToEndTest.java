package io.ballast.e2e;

import static io.ballast.e2e.E2e.JSON;
import static io.ballast.e2e.E2e.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged {@code ballast} CLI, run through its launcher as a process, against one real control
 * plane (embedded PostgreSQL) and one real data plane: output and exit codes of every command.
 * Each test uses resources of its own names, so they do not depend on each other's order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Closer closer = new Closer();
    private ControlPlane cp;
    private DataPlane dp;
    private TestBackend backendA;
    private TestBackend backendB;
    private Http api;
    private java.io.File dpCache;
    private Path work;
    private Cli cli;

    @BeforeAll
    void startControlPlaneAndDataPlane() throws Exception {
        cp = closer.later(ControlPlane.start("e2e-cli-cp", ManagedProcess.tempDir("ballast-e2e-cli-cp")));
        api = cp.admin();
        backendA = closer.later(TestBackend.start("A"));
        backendB = closer.later(TestBackend.start("B"));
        dpCache = ManagedProcess.tempDir("ballast-e2e-cli-dp");
        dp = closer.later(DataPlane.start("e2e-cli-dp", cp.url(), dpCache));
        work = ManagedProcess.tempDir("ballast-e2e-cli").toPath();
        cli = new Cli(Map.of("BALLAST_URL", cp.url(), "BALLAST_TOKEN", ControlPlane.ADMIN_TOKEN,
                "XDG_CONFIG_HOME", work.resolve("xdg").toString()));
    }

    /**
     * On this shared machine a data plane has been seen to receive SIGTERM from outside the test
     * (its log ends with a graceful stop no test asked for). One such stop should fail at most the test it
     * happens in, not every later one, so a stopped data plane is replaced (same node id and cache) first.
     */
    @BeforeEach
    void dataPlaneRunning() throws Exception {
        if (!dp.isAlive()) {
            System.err.println("CliEndToEndTest: data plane e2e-cli-dp was stopped from outside; starting it again");
            dp = closer.later(DataPlane.start("e2e-cli-dp", cp.url(), dpCache));
            E2e.awaitApplied(dp, latestRevision());
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        closer.close();
    }

    private Path file(String name, String text) throws IOException {
        Path p = work.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private long latestRevision() throws Exception {
        return E2e.latestRevision(api);
    }

    private static void assertFits80(String text) {
        assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
    }

    @Test
    void helpVersionCompletionAndUsageErrors() {
        Cli.Result help = cli.run("--help");
        assertThat(help.exit()).as(help.toString()).isZero();
        assertThat(help.out()).contains("get", "describe", "validate", "diff", "apply", "export", "drain", "enable", "disable",
                "rollback", "revisions", "tokens", "login", "completion");
        assertFits80(help.out());
        Cli.Result applyHelp = cli.run("apply", "--help");
        assertThat(applyHelp.exit()).isZero();
        assertThat(applyHelp.out()).contains("--prune", "--dry-run", "--wait", "--if-revision", "--timeout").doesNotContain("--token ");
        assertThat(cli.run("--version").out()).startsWith("ballast 0.1.0-SNAPSHOT");

        Cli.Result completion = cli.run("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F", "_picocli_ballast", "drain", "--if-revision");

        Cli.Result typo = cli.run("aply", "-f", "x.yaml");
        assertThat(typo.exit()).as("a usage error is exit 1, never 2 (which means 'changes')").isEqualTo(1);
        assertThat(typo.err()).contains("Unmatched argument", "apply");
        Cli.Result group = cli.run("get");
        assertThat(group.exit()).isEqualTo(1);
        assertThat(group.err()).contains("needs a subcommand", "pools");
    }

    @Test
    void validateDiffApplyWaitAndTheSameFileAgainChangesNothing() throws Exception {
        Path dir = work.resolve("shop");
        file("shop/10-pools.yaml", """
                pools:
                  - name: shop
                    healthCheck: { path: /healthz, interval: 500ms, transitionInterval: 200ms, healthyThreshold: 1 }
                    backends:
                      - { name: a, host: 127.0.0.1, port: %d }
                """.formatted(backendA.port()));
        file("shop/20-routes.yaml", "routes:\n  - { name: shop, hosts: [shop.cli.test], pool: shop }\n");

        Cli.Result valid = cli.run("validate", "-f", dir.toString());
        assertThat(valid.exit()).as(valid.toString()).isZero();
        assertThat(valid.out()).contains("valid: " + dir + " (2 files) (3 to create, 0 to update, 0 to delete)");

        long before = latestRevision();
        Cli.Result diff = cli.run("diff", "-f", dir.toString());
        assertThat(diff.exit()).as(diff.toString()).isEqualTo(2);
        assertThat(diff.out()).contains("--- live (revision " + before + ")", "+++ " + dir + " (2 files)", "+ pool shop",
                "+   healthCheck.interval: \"500ms\"", "+ backend shop/a", "+   port: " + backendA.port(), "+ route shop",
                "Plan: 3 to create, 0 to update, 0 to delete (against revision " + before + ").");
        assertThat(diff.out()).doesNotContain("\u001b[");
        assertThat(latestRevision()).as("diff writes nothing").isEqualTo(before);

        Cli.Result apply = cli.run("apply", "-f", dir.toString(), "--wait", "-m", "CLI-1 shop");
        assertThat(apply.exit()).as(apply.toString()).isZero();
        long applied = before + 1;
        assertThat(apply.out()).contains("+ pool shop", "Applied: revision " + applied + " (3 created, 0 updated, 0 deleted).")
                .containsPattern("Revision " + applied + " runs on 1 of 1 data planes; propagation \\d+ ms \\(slowest: e2e-cli-dp\\)");
        assertThat(E2e.json(api.get("/revisions/" + applied)).path("message").asText()).isEqualTo("CLI-1 shop");
        E2e.awaitApplied(dp, applied);
        HttpResponse<String> served = dp.proxy().getWithHost("/", "shop.cli.test");
        assertThat(served.body()).isEqualTo("A");

        Cli.Result again = cli.run("apply", "-f", dir.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("No changes: the live configuration (revision " + applied + ") already matches");
        Cli.Result noDiff = cli.run("diff", "-f", dir.toString());
        assertThat(noDiff.exit()).as(noDiff.toString()).isZero();
        assertThat(noDiff.out()).startsWith("No changes");
        assertThat(latestRevision()).isEqualTo(applied);

        file("shop/10-pools.yaml", """
                pools:
                  - name: shop
                    healthCheck: { path: /healthz, interval: 500ms, transitionInterval: 200ms, healthyThreshold: 1 }
                    backends:
                      - { name: a, host: 127.0.0.1, port: %d, weight: 50 }
                """.formatted(backendA.port()));
        Cli.Result changed = cli.run("diff", "-f", dir.toString());
        assertThat(changed.exit()).isEqualTo(2);
        assertThat(changed.out()).contains("~ backend shop/a\n-   weight: 100\n+   weight: 50\n", "0 to create, 1 to update, 0 to delete");

        Cli.Result json = cli.run("diff", "-f", dir.toString(), "-o", "json");
        assertThat(json.exit()).isEqualTo(2);
        JsonNode answer = JSON.readTree(json.out());
        assertThat(answer.path("dryRun").asBoolean()).isTrue();
        assertThat(answer.path("changes").get(0).path("fields").get(0).path("field").asText()).isEqualTo("weight");

        Cli.Result dryRun = cli.run("apply", "-f", dir.toString(), "--dry-run");
        assertThat(dryRun.exit()).isZero();
        assertThat(dryRun.out()).contains("Dry run: 0 to create, 1 to update, 0 to delete", "nothing was changed");
        assertThat(latestRevision()).isEqualTo(applied);
    }

    @Test
    void invalidFilesAreRefusedWithErrorsPointingIntoTheRightFile() throws Exception {
        Path dir = work.resolve("invalid");
        file("invalid/a.yaml", "pools:\n  - name: inv-ok\n");
        Path b = file("invalid/b.yaml", """
                pools:
                  - name: inv-bad
                    backends:
                      - { host: 169.254.169.254, port: 80 }
                routes:
                  - { name: Inv, pool: nowhere }
                """);
        long before = latestRevision();
        for (String command : new String[] {"validate", "apply"}) {
            Cli.Result r = cli.run(command, "-f", dir.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("Invalid configuration (HTTP 422)",
                    "  - " + b + ": pools[0].backends[0].host: ", "  - " + b + ": routes[0].name: ", "  - " + b + ": routes[0].pool: ");
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
        }
        assertThat(latestRevision()).as("nothing was written").isEqualTo(before);

        Path broken = file("broken.yaml", "pools: [\n  - x\n");
        Cli.Result syntax = cli.run("validate", "-f", broken.toString());
        assertThat(syntax.exit()).isEqualTo(1);
        assertThat(syntax.err()).contains("error: " + broken + ": line 2, column 3: ");
    }

    @Test
    void aNameDefinedInTwoFilesIsAnErrorNamingBothFiles() throws Exception {
        Path a = file("dup/a.yaml", "routes:\n  - { name: dup, pool: shop }\n");
        Path b = file("dup/b.yaml", "routes:\n  - { name: dup, pool: other }\n");
        Cli.Result r = cli.run("apply", "-f", work.resolve("dup").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("route \"dup\" is defined twice: in " + a + " and in " + b);
    }

    @Test
    void ifRevisionRefusesToApplyOverANewerRevision() throws Exception {
        Path f = file("ifrev.yaml", "pools:\n  - name: ifrev\n");
        long base = latestRevision();
        created(api.post("/pools", "{\"name\": \"ifrev-someone-else\"}"));
        Cli.Result stale = cli.run("apply", "-f", f.toString(), "--if-revision", Long.toString(base));
        assertThat(stale.exit()).as(stale.toString()).isEqualTo(1);
        assertThat(stale.err()).contains("Precondition Failed (HTTP 412)");
        assertThat(api.get("/pools/ifrev").statusCode()).isEqualTo(404);
        long current = latestRevision();
        Cli.Result fresh = cli.run("apply", "-f", f.toString(), "--if-revision", Long.toString(current), "--wait", "-o", "json");
        assertThat(fresh.exit()).as(fresh.toString()).isZero();
        // With -o json, standard output is the API's answer alone; the wait reports on standard error.
        JsonNode answer = JSON.readTree(fresh.out());
        assertThat(answer.path("changed").asBoolean()).isTrue();
        assertThat(answer.path("revision").asLong()).isEqualTo(current + 1);
        assertThat(fresh.err()).contains("Revision " + (current + 1) + " runs on 1 of 1 data planes");
    }

    @Test
    void pruneShowsWhatTheFileDoesNotName() throws Exception {
        created(api.post("/pools", "{\"name\": \"prune-me\"}"));
        Path f = file("prune.yaml", "pools:\n  - name: prune-keep\n");
        Cli.Result r = cli.run("diff", "-f", f.toString(), "--prune");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("- pool prune-me", "+ pool prune-keep");
        assertThat(cli.run("diff", "-f", f.toString()).out()).doesNotContain("- pool prune-me");
    }

    @Test
    void getListsEveryKindAsTablesThatFitAndAsJsonOrYaml() throws Exception {
        created(api.post("/pools", "{\"name\": \"get-pool\", \"description\": \"" + "a long description ".repeat(8) + "\"}"));
        created(api.post("/pools/get-pool/backends", "{\"name\": \"b1\", \"host\": \"127.0.0.1\", \"port\": " + backendB.port() + "}"));
        created(api.post("/routes", "{\"name\": \"get-route\", \"hosts\": [\"get.cli.test\", \"a-rather-long-host-name.get.cli.test\","
                + " \"another-long-host-name.get.cli.test\"], \"pool\": \"get-pool\"}"));
        E2e.awaitApplied(dp, latestRevision());

        Map<String, String[]> expected = Map.of(
                "pools", new String[] {"NAME", "ALGORITHM", "BACKENDS", "HEALTH CHECK", "get-pool", "round-robin"},
                "routes", new String[] {"NAME", "HOSTS", "PATH", "POOL", "get-route"},
                "dataplanes", new String[] {"NODE", "STATE", "REVISION", "e2e-cli-dp", "SYNCED"},
                "revisions", new String[] {"REVISION", "AUTHOR", "CHANGES", "admin"},
                "health", new String[] {"POOL", "BACKEND", "STATE", "get-pool", "b1"});
        for (Map.Entry<String, String[]> kind : expected.entrySet()) {
            Cli.Result table = cli.run("get", kind.getKey());
            assertThat(table.exit()).as(table.toString()).isZero();
            assertThat(table.out()).as(kind.getKey()).contains(kind.getValue());
            assertFits80(table.out());
            if (kind.getKey().equals("pools")) {
                assertThat(table.out()).as("the long description is cut to fit").contains("\u2026");
            }
        }
        Cli.Result json = cli.run("get", "dataplanes", "-o", "json");
        assertThat(json.exit()).isZero();
        assertThat(JSON.readTree(json.out()).path("items").get(0).path("nodeId").asText()).as(json.out()).isEqualTo("e2e-cli-dp");
        Cli.Result yaml = cli.run("get", "pools", "-o", "yaml");
        assertThat(yaml.exit()).isZero();
        assertThat(YAML.readTree(yaml.out()).path("items").findValuesAsText("name")).as(yaml.out()).contains("get-pool", "b1");
        Cli.Result backends = cli.run("get", "backends", "get-pool");
        assertThat(backends.exit()).isZero();
        assertThat(backends.out()).contains("b1", "127.0.0.1:" + backendB.port(), "enabled");

        Cli.Result narrow = cli.with(Map.of("COLUMNS", "50")).run("get", "routes");
        assertThat(narrow.out().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(50));

        Cli.Result missing = cli.run("get", "backends", "no-such-pool");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("Not found (HTTP 404)");
    }

    @Test
    void describeShowsOneResourceWithItsHealthAndHistory() throws Exception {
        created(api.post("/pools", """
                {"name": "desc", "healthCheck": {"path": "/healthz", "interval": "500ms", "transitionInterval": "200ms",
                 "healthyThreshold": 1}}"""));
        created(api.post("/pools/desc/backends", "{\"name\": \"d1\", \"host\": \"127.0.0.1\", \"port\": " + backendA.port() + "}"));
        created(api.post("/routes", "{\"name\": \"desc\", \"hosts\": [\"desc.cli.test\"], \"pool\": \"desc\"}"));
        long revision = latestRevision();
        await("d1 healthy").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> E2e.json(api.get("/pools/desc/health")).toString().contains("healthy on 1 of 1 data planes"));

        Cli.Result pool = cli.run("describe", "pool", "desc");
        assertThat(pool.exit()).isZero();
        assertThat(pool.out()).contains("Pool desc", "healthCheck.interval: 500ms", "Backends (1)", "d1", "Routes to it", "desc.cli.test",
                "Recent health events", "e2e-cli-dp");
        assertFits80(pool.out().lines().filter(l -> !l.startsWith("  retries.on")).reduce("", (a, b) -> a + b + "\n"));
        JsonNode json = JSON.readTree(cli.run("describe", "pool", "desc", "-o", "json").out());
        assertThat(json.path("pool").path("name").asText()).isEqualTo("desc");
        assertThat(json.path("events").isArray()).isTrue();

        Cli.Result backend = cli.run("describe", "backend", "desc", "d1");
        assertThat(backend.exit()).isZero();
        assertThat(backend.out()).contains("Backend desc/d1", "port: " + backendA.port(), "Health: healthy on 1 of 1", "e2e-cli-dp", "healthy");

        assertThat(cli.run("describe", "route", "desc").out()).contains("Route desc", "pool: desc", "desc.cli.test");
        assertThat(cli.run("describe", "dataplane", "e2e-cli-dp").out()).contains("Data plane e2e-cli-dp", "connected: true");
        Cli.Result rev = cli.run("describe", "revision", Long.toString(revision));
        assertThat(rev.exit()).isZero();
        assertThat(rev.out()).contains("Revision " + revision, "author: admin", "Propagation", "e2e-cli-dp", "ACKED", "+ route desc");

        Cli.Result missing = cli.run("describe", "pool", "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("error: Not found (HTTP 404): pool 'nope' does not exist.\n");
    }

    @Test
    void exportGivesAFileThatAppliesBackUnchanged() throws Exception {
        created(api.post("/pools", "{\"name\": \"exported\"}"));
        Cli.Result yaml = cli.run("export");
        assertThat(yaml.exit()).isZero();
        assertThat(YAML.readTree(yaml.out()).path("pools").isArray()).isTrue();
        Path f = file("export.yaml", yaml.out());
        Cli.Result diff = cli.run("diff", "-f", f.toString(), "--prune");
        assertThat(diff.exit()).as(diff.toString()).isZero();
        Cli.Result json = cli.run("export", "-o", "json");
        assertThat(JSON.readTree(json.out()).path("pools").isArray()).isTrue();
        assertThat(cli.run("export", "-o", "table").exit()).isEqualTo(1);
    }

    @Test
    void drainAndEnableWaitForTheFleetAndTimeOutWithExit3() throws Exception {
        created(api.post("/pools", """
                {"name": "drain", "healthCheck": {"path": "/healthz", "interval": "500ms", "transitionInterval": "200ms",
                 "healthyThreshold": 1}}"""));
        created(api.post("/pools/drain/backends", "{\"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": " + backendA.port() + "}"));
        created(api.post("/pools/drain/backends", "{\"name\": \"b\", \"host\": \"127.0.0.1\", \"port\": " + backendB.port() + "}"));
        created(api.post("/routes", "{\"name\": \"drain\", \"hosts\": [\"drain.cli.test\"], \"pool\": \"drain\"}"));
        E2e.awaitApplied(dp, latestRevision());
        await("both healthy").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> E2e.json(api.get("/pools/drain/health")).findValuesAsText("summary").stream()
                        .filter("healthy on 1 of 1 data planes"::equals).count() == 2);

        // A request held 4 s on each backend (round robin) keeps the drain from completing within 1 s.
        CompletableFuture<HttpResponse<String>> slow1 = CompletableFuture.supplyAsync(() -> dp.proxy().getWithHost("/slow/4000", "drain.cli.test"));
        CompletableFuture<HttpResponse<String>> slow2 = CompletableFuture.supplyAsync(() -> dp.proxy().getWithHost("/slow/4000", "drain.cli.test"));
        await().atMost(Duration.ofSeconds(5)).until(() -> backendA.inFlight() >= 1 && backendB.inFlight() >= 1);
        Cli.Result timedOut = cli.run("drain", "drain", "a", "--wait", "--timeout", "1s");
        assertThat(timedOut.exit()).as(timedOut.toString()).isEqualTo(3);
        assertThat(timedOut.out()).contains("Backend drain/a is draining (revision");
        // The in-flight count arrives with the data plane's next heartbeat (every 5 s), so it may still read 0 here.
        assertThat(timedOut.err()).contains("backend drain/a: draining (", "waiting until drained",
                "Timed out after 1s waiting for backend drain/a to be drained: draining (");

        Cli.Result drained = cli.run("drain", "drain", "a", "--wait");
        assertThat(drained.exit()).as(drained.toString()).isZero();
        assertThat(drained.out()).contains("Backend drain/a: draining and drained on 1 of 1 data planes");
        slow1.get(10, TimeUnit.SECONDS);
        slow2.get(10, TimeUnit.SECONDS);

        Cli.Result unsafe = cli.run("disable", "drain", "b");
        assertThat(unsafe.exit()).isEqualTo(1);
        assertThat(unsafe.err()).contains("(HTTP 409)");

        Cli.Result enabled = cli.run("enable", "drain", "a", "--wait");
        assertThat(enabled.exit()).as(enabled.toString()).isZero();
        assertThat(enabled.out()).contains("Backend drain/a is enabled", "Backend drain/a: healthy on 1 of 1 data planes");
        Cli.Result disabled = cli.run("disable", "drain", "b", "--wait", "-m", "CLI-2 maintenance");
        assertThat(disabled.exit()).as(disabled.toString()).isZero();
        assertThat(disabled.out()).contains("Backend drain/b is disabled", "disabled and drained on 1 of 1 data planes");
    }

    @Test
    void applyWaitShowsPendingDataPlanesAndTimesOutWithExit3WhileOneIsFrozen() throws Exception {
        Path f = file("frozen.yaml", "pools:\n  - name: frozen\n");
        Path g = file("frozen-tty.yaml", "pools:\n  - name: frozen-tty\n");
        signal("STOP", dp.pid());
        Cli.Result plain;
        Cli.Result tty;
        long first;
        try {
            plain = cli.run("apply", "-f", f.toString(), "--wait", "--timeout", "2s");
            first = latestRevision();
            tty = cli.runOnTty("apply", "-f", g.toString(), "--wait", "--timeout", "1s");
        } finally {
            signal("CONT", dp.pid());
        }
        assertThat(plain.exit()).as(plain.toString()).isEqualTo(3);
        assertThat(plain.err()).contains("revision " + first + ": 0 of 1 data planes applied; waiting for e2e-cli-dp\n",
                "Timed out after 2s: revision " + first + " runs on 0 of 1 data planes; still pending: e2e-cli-dp.");
        assertThat(plain.err()).as("without a terminal: a plain line per change of status, no spinner").doesNotContain("\r");
        long second = latestRevision();
        assertThat(tty.exit()).as(tty.toString()).isEqualTo(3);
        // On a terminal: one line redrawn in place (carriage return, erase line), a spinner, the elapsed time.
        assertThat(tty.out()).contains("\r\u001b[K", "revision " + second + ": 0 of 1 data planes applied; waiting for e2e-cli-dp",
                "Timed out");
        assertThat(tty.out()).containsPattern("\\((\\d+\\.\\d)s\\)");
        E2e.awaitApplied(dp, second);
    }

    @Test
    void rollbackAndRevisionDiff() throws Exception {
        created(api.post("/pools", "{\"name\": \"rb\"}"));
        long withPool = latestRevision();
        assertThat(api.delete("/pools/rb").statusCode()).isEqualTo(204);
        long without = latestRevision();

        Cli.Result diff = cli.run("revisions", "diff", Long.toString(withPool), Long.toString(without));
        assertThat(diff.exit()).as(diff.toString()).isZero();
        assertThat(diff.out()).contains("--- revision " + withPool, "+++ revision " + without, "- pool rb", "0 created, 0 updated, 1 deleted.");

        Cli.Result dry = cli.run("rollback", Long.toString(withPool), "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("+ pool rb", "Dry run");
        assertThat(latestRevision()).isEqualTo(without);

        Cli.Result rollback = cli.run("rollback", Long.toString(withPool), "--wait");
        assertThat(rollback.exit()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).contains("+ pool rb", "Applied: revision " + (without + 1))
                .contains("Revision " + (without + 1) + " runs on 1 of 1 data planes");
        assertThat(api.get("/pools/rb").statusCode()).isEqualTo(200);

        assertThat(cli.run("rollback", "999999").exit()).isEqualTo(1);
    }

    @Test
    void tokensAreCreatedListedAndRevokedAndSecretsGoOnlyToFiles() throws Exception {
        Path secret = work.resolve("viewer.token");
        Cli.Result create = cli.run("tokens", "create", "cli-viewer", "--role", "viewer", "--secret-file", secret.toString());
        assertThat(create.exit()).as(create.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        String token = Files.readString(secret).strip();
        assertThat(create.out() + create.err()).doesNotContain(token);

        Cli.Result list = cli.run("tokens", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("cli-viewer", "viewer", "admin").doesNotContain(token);
        assertFits80(list.out());

        Cli viewer = new Cli(Map.of("BALLAST_URL", cp.url(), "BALLAST_TOKEN_FILE", secret.toString(),
                "XDG_CONFIG_HOME", work.resolve("xdg-viewer").toString()));
        assertThat(viewer.run("get", "pools").exit()).isZero();
        Cli.Result forbidden = viewer.run("apply", "-f", file("viewer.yaml", "pools: [{name: viewer-pool}]\n").toString());
        assertThat(forbidden.exit()).isEqualTo(1);
        assertThat(forbidden.err()).contains("Forbidden (HTTP 403)");

        Cli.Result delete = cli.run("tokens", "delete", "cli-viewer");
        assertThat(delete.exit()).isZero();
        Cli.Result revoked = viewer.run("get", "pools");
        assertThat(revoked.exit()).isEqualTo(1);
        assertThat(revoked.err()).contains("(HTTP 401)");

        Cli.Result printed = cli.run("tokens", "create", "cli-printed", "--role", "operator");
        assertThat(printed.exit()).isZero();
        assertThat(printed.out().strip()).startsWith("blst_");
        assertThat(printed.err()).contains("shown only this once");
    }

    @Test
    void loginSavesAnOwnerOnlyContextThatLaterCommandsUse() throws Exception {
        Path tokenFile = file("admin.token", ControlPlane.ADMIN_TOKEN + "\n");
        Path xdg = work.resolve("xdg-login");
        Cli bare = new Cli(Map.of("XDG_CONFIG_HOME", xdg.toString()));
        Cli.Result none = bare.run("get", "pools");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("ballast login");

        Cli.Result login = bare.run("login", "--url", cp.url() + "/api/v1", "--token-file", tokenFile.toString());
        assertThat(login.exit()).as(login.toString()).isZero();
        Path config = xdg.resolve("ballast/config");
        assertThat(login.out()).contains("Logged in to " + cp.url() + " as admin (admin); context saved in " + config);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(bare.run("get", "pools").exit()).isZero();

        Path explicit = work.resolve("other-config");
        assertThat(bare.run("login", "--url", cp.url(), "--token-file", tokenFile.toString(), "--config", explicit.toString()).exit()).isZero();
        assertThat(new Cli(Map.of()).run("get", "routes", "--config", explicit.toString()).exit()).isZero();

        Cli.Result wrong = bare.run("login", "--url", cp.url(), "--token-file", file("wrong.token", "nope").toString(),
                "--config", work.resolve("never-written").toString());
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("(HTTP 401)");
        assertThat(work.resolve("never-written")).doesNotExist();
    }

    @Test
    void colourOnlyOnATerminalAndNeverWithNoColor() throws Exception {
        Path f = file("colour.yaml", "pools:\n  - name: colour\n");
        Cli.Result tty = cli.runOnTty("diff", "-f", f.toString());
        assertThat(tty.out()).contains("\u001b[32m+ pool colour\u001b[0m");
        assertThat(tty.exit()).as(tty.toString()).isEqualTo(2);
        Cli.Result noColor = cli.with(Map.of("NO_COLOR", "1")).runOnTty("diff", "-f", f.toString());
        assertThat(noColor.out()).contains("+ pool colour").doesNotContain("\u001b[");
        Cli.Result piped = cli.run("diff", "-f", f.toString());
        assertThat(piped.out()).doesNotContain("\u001b[");
    }

    @Test
    void anUnreachableControlPlaneIsOneReadableError() {
        Cli.Result r = cli.with(Map.of("BALLAST_URL", "http://127.0.0.1:" + Ports.free())).run("get", "pools");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot reach the control plane at http://127.0.0.1:").doesNotContain("Exception");
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
