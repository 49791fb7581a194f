package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web console in a real headless chromium against the real control plane, two data-plane
 * processes and real backends. Screenshots of every page land in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private ControlPlane cp;
    private DataPlane dp1;
    private DataPlane dp2;
    private Browser browser;
    private Http api;

    @BeforeAll
    void startEverything() {
        cp = closeLater(ControlPlane.start("console-control-plane", ManagedProcess.tempDir("ballast-console-cp")));
        dp1 = closeLater(DataPlane.start("console-dp-1", cp.url(), ManagedProcess.tempDir("ballast-console-dp1")));
        dp2 = closeLater(DataPlane.start("console-dp-2", cp.url(), ManagedProcess.tempDir("ballast-console-dp2")));
        browser = closeLater(Browser.start());
        api = cp.admin();
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    private void signIn(String token) {
        browser.open(cp.url() + "/#/overview");
        if (!browser.all("#topbar:not([hidden])").isEmpty()) {
            browser.click("#signout");
        }
        browser.type("#token", token);
        browser.click("#signin");
        browser.await("#topbar");
        browser.await("#dataplanes, #main .empty");
    }

    private void go(String hash) {
        browser.open(cp.url() + "/" + hash);
        browser.await("#main h1");
    }

    @Test
    void anAdminBuildsAPoolAndDrainsABackendWhileRequestsAreInFlight() throws Exception {
        SlowBackend slow = closeLater(SlowBackend.start());
        signIn(ControlPlane.ADMIN_TOKEN);

        // Create the pool, make its health checks quick, and add the backend, all through the console.
        browser.type("#new-pool-name", "shop");
        browser.click("#create-pool");
        browser.awaitText("#pool-name", "shop", Duration.ofSeconds(10));
        browser.await("#settings-form");
        browser.type("#setting-healthCheck-path", "/healthz");
        browser.type("#setting-healthCheck-interval", "500ms");
        browser.type("#setting-healthCheck-timeout", "300ms");
        browser.type("#setting-healthCheck-healthyThreshold", "1");
        browser.click("#save-settings");
        browser.awaitText("#pool-notice", "Settings saved", Duration.ofSeconds(10));
        browser.type("#backend-host", "127.0.0.1");
        browser.type("#backend-port", Integer.toString(slow.port()));
        browser.type("#backend-name", "slow-1");
        browser.click("#add-backend-submit");
        browser.await("#backends tr[data-backend='slow-1']");

        go("#/routes");
        browser.type("#route-name", "shop");
        browser.type("#route-hosts", "shop.test");
        browser.type("#route-pool", "shop");
        browser.find("#new-route button[type=submit]").click();
        browser.await("#routes tr[data-route='shop']");
        browser.screenshot("routes");

        awaitHealthy(dp1, "slow-1");
        awaitHealthy(dp2, "slow-1");
        go("#/pools/shop");
        browser.await("#backends tr[data-backend='slow-1']");

        // Three requests that the backend holds: they are in flight when the drain starts.
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String path = "/slow/" + i;
            held.add(CompletableFuture.supplyAsync(() -> dp1.proxy().getWithHost(path, "shop.test")));
        }
        await("requests held by the backend").atMost(Duration.ofSeconds(10)).until(() -> slow.waiting() == 3);

        browser.click("#backends tr[data-backend='slow-1'] td.actions button");
        assertThat(browser.find("#confirm-title").getText()).isEqualTo("Drain slow-1?");
        browser.confirm();
        String draining = browser.awaitText("#backends tr[data-backend='slow-1'] td.admin-state", "in flight)", Duration.ofSeconds(20));
        assertThat(draining).matches("draining \\([1-9]\\d* in flight\\)");
        browser.screenshot("pool-draining");

        slow.release();
        for (CompletableFuture<HttpResponse<String>> request : held) {
            assertThat(request.get().statusCode()).isEqualTo(200);
        }
        browser.awaitText("#backends tr[data-backend='slow-1'] td.admin-state", "drained", Duration.ofSeconds(20));
        assertThat(JSON.readTree(api.get("/pools/shop/backends/slow-1").body()).path("adminState").asText()).isEqualTo("draining");
        browser.screenshot("pool-drained");

        // Aggregated health comes from the health API (GET /pools/{pool}/health).
        browser.awaitText("#backends tr[data-backend='slow-1'] td.health", "healthy on 2 of 2 proxies", Duration.ofSeconds(20));
        browser.screenshot("pool");
    }

    @Test
    void anInvalidSettingShowsTheApisMessageNextToItsField() throws Exception {
        created(api.post("/pools", "{\"name\": \"strict\"}"));
        signIn(ControlPlane.ADMIN_TOKEN);
        go("#/pools/strict");
        browser.type("#setting-healthCheck-healthyThreshold", "0");
        browser.click("#save-settings");

        browser.await("#setting-healthCheck-healthyThreshold[aria-invalid='true']");
        assertThat(browser.find("#setting-healthCheck-healthyThreshold-error").getText()).contains("between 1 and 100");
        browser.screenshot("pool-validation-error");
        // Nothing was written: the stored pool keeps its default threshold.
        JsonNode pool = JSON.readTree(api.get("/pools/strict").body());
        assertThat(pool.path("healthCheck").path("healthyThreshold").asInt()).as(pool.toString()).isEqualTo(2);
    }

    @Test
    void theDiffShowsAChangeAndARollBackUndoesIt() throws Exception {
        created(api.post("/pools", "{\"name\": \"history\", \"description\": \"before\"}"));
        long before = latestRevision();
        HttpResponse<String> changed = CLIENT.send(HttpRequest.newBuilder(URI.create(cp.url() + "/api/v1/pools/history"))
                .header("Authorization", "Bearer " + ControlPlane.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\": \"history\", \"description\": \"after\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        long after = latestRevision();

        signIn(ControlPlane.ADMIN_TOKEN);
        go("#/revisions");
        browser.await("#revisions tr[data-revision='" + after + "']");
        browser.script("document.getElementById('diff-from').value = arguments[0]; document.getElementById('diff-to').value = arguments[1];",
                Long.toString(before), Long.toString(after));
        browser.click("#show-diff");
        String diff = browser.awaitText("#diff", "pool history", Duration.ofSeconds(10));
        assertThat(diff).contains("description").contains("\"before\"").contains("\"after\"");
        browser.screenshot("revisions-diff");

        browser.click("#revisions tr[data-revision='" + before + "'] button.danger");
        browser.confirm();
        browser.awaitText("#revisions-notice", "Rolled back to revision " + before, Duration.ofSeconds(10));
        assertThat(JSON.readTree(api.get("/pools/history").body()).path("description").asText()).isEqualTo("before");
        go("#/pools/history");
        assertThat(browser.await("#setting-description").getAttribute("value")).isEqualTo("before");
    }

    @Test
    void aViewerSeesEverythingButNoControlThatChangesAnything() throws Exception {
        created(api.post("/pools", "{\"name\": \"seen\", \"backends\": [{\"name\": \"s1\", \"host\": \"127.0.0.1\", \"port\": 9}]}"));
        HttpResponse<String> issued = api.post("/tokens", "{\"name\": \"console-viewer\", \"role\": \"viewer\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode token = JSON.readTree(issued.body());
        String secret = token.hasNonNull("secret") ? token.path("secret").asText() : token.path("token").asText();

        signIn(secret);
        assertThat(browser.find("#whoami").getText()).contains("viewer");
        for (String page : List.of("#/overview", "#/pools/seen", "#/routes", "#/revisions", "#/events")) {
            go(page);
            browser.await("#main .live > *, #main .empty, #events");
            assertThat(browser.all("#main form#new-pool, #main form#add-backend, #main form#settings-form, #main form#new-route"))
                    .as("write forms on " + page).isEmpty();
            @SuppressWarnings("unchecked")
            List<String> buttons = (List<String>) browser.script("return [...document.querySelectorAll('#main button')].map(b => b.innerText);");
            assertThat(buttons.stream()
                    .filter(t -> t.matches("Drain|Enable|Disable|Remove|Delete.*|Roll back.*|Save.*|Create.*|Add.*")).toList())
                    .as("write buttons on " + page).isEmpty();
        }
        go("#/pools/seen");
        browser.await("#backends tr[data-backend='s1']");
        browser.screenshot("pool-as-viewer");
    }

    @Test
    void everyPageFitsALaptopAndAPhoneAndTheBannerShowsAnOutage() throws Exception {
        created(api.post("/pools", "{\"name\": \"tour\", \"backends\": [{\"name\": \"t1\", \"host\": \"127.0.0.1\", \"port\": 9}]}"));
        signIn(ControlPlane.ADMIN_TOKEN);
        browser.await("#dataplanes tr[data-node='console-dp-1']");
        for (var size : List.of(Browser.LAPTOP, Browser.PHONE)) {
            browser.resize(size);
            String suffix = size.equals(Browser.PHONE) ? "-phone" : "";
            for (String page : List.of("overview", "pools/tour", "routes", "revisions", "events")) {
                go("#/" + page);
                browser.await("#main .live > *, #main .empty, #events");
                long overflow = (Long) browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
                assertThat(overflow).as("horizontal overflow of " + page + " at " + size).isLessThanOrEqualTo(0);
                browser.screenshot(page.replace('/', '-') + suffix);
            }
        }
        browser.resize(Browser.LAPTOP);
        go("#/overview");
        browser.await("#dataplanes");

        cp.stop();
        browser.awaitText("#banner", "unreachable", Duration.ofSeconds(10));
        browser.screenshot("overview-unreachable");
        cp.start();
        await("banner gone").atMost(Duration.ofSeconds(20)).until(() -> !browser.find("#banner").isDisplayed());
    }

    private long latestRevision() throws Exception {
        return JSON.readTree(api.get("/revisions?limit=1").body()).path("items").get(0).path("number").asLong();
    }

    private static void created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void awaitHealthy(DataPlane dp, String backend) {
        await(backend + " healthy on " + dp.nodeId()).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(dp.admin().get("/status").body());
            boolean healthy = false;
            for (JsonNode pool : status.path("pools")) {
                for (JsonNode b : pool.path("backends")) {
                    healthy |= backend.equals(b.path("name").asText()) && "healthy".equals(b.path("health").asText());
                }
            }
            assertThat(healthy).as(status.toString()).isTrue();
        });
    }
}
