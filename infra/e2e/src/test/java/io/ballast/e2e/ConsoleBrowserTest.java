package io.ballast.e2e;

import static io.ballast.e2e.E2e.created;
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
        browser.await("#token");
        assertThat(browser.find("#topbar").isDisplayed()).as("navigation and Sign out on the sign-in page").isFalse();
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
        // An admin edits the route in place: the form fills with the stored route and saves with PUT + If-Match.
        browser.click("#routes tr[data-route='shop'] td.actions button.secondary");
        browser.awaitText("#route-form-title", "Edit route shop", Duration.ofSeconds(10));
        assertThat(browser.find("#route-hosts").getAttribute("value")).isEqualTo("shop.test");
        browser.type("#route-hosts", "shop.test, www.shop.test");
        browser.click("#route-submit");
        browser.awaitText("#routes tr[data-route='shop']", "www.shop.test", Duration.ofSeconds(10));
        assertThat(JSON.readTree(api.get("/routes/shop").body()).path("hosts").toString()).isEqualTo("[\"shop.test\",\"www.shop.test\"]");
        browser.screenshot("routes");

        awaitHealthy(dp1, "slow-1");
        awaitHealthy(dp2, "slow-1");
        go("#/pools/shop");
        // Aggregated health comes from the health API (GET /pools/{pool}/health).
        browser.awaitText("#backends tr[data-backend='slow-1'] td.health", "healthy on 2 of 2 data planes", Duration.ofSeconds(20));
        browser.screenshot("pool");
        // A backend's failed attempts include retried ones no client saw, so they are not called "5xx".
        assertThat(browser.find("#backends thead").getText().toLowerCase()).contains("failed attempts").doesNotContain("5xx");

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
        // slow-1 is the pool's only enabled backend: the API's safety rail refuses, and the console asks again.
        browser.awaitText("dialog#confirm[open] #confirm-title", "Drain anyway?", Duration.ofSeconds(10));
        assertThat(browser.find("#confirm-text").getText()).contains("leaves pool shop with no enabled backend");
        browser.screenshot("pool-drain-unsafe");
        browser.confirm();
        browser.awaitMatch("#backends tr[data-backend='slow-1'] td.admin-state", "draining \\([1-9]\\d* in flight\\)", Duration.ofSeconds(20));
        browser.screenshot("pool-draining");
        // Each held request holds its own backend connection (HTTP/1.1): the next heartbeat counts them open.
        browser.awaitMatch("#backends tr[data-backend='slow-1'] td.connections", "[3-9]|\\d\\d+", Duration.ofSeconds(20));

        slow.release();
        for (CompletableFuture<HttpResponse<String>> request : held) {
            assertThat(request.get().statusCode()).isEqualTo(200);
        }
        browser.awaitMatch("#backends tr[data-backend='slow-1'] td.admin-state", "drained", Duration.ofSeconds(20));
        browser.awaitText("#backends tr[data-backend='slow-1'] td.health", "draining on 2 of 2 data planes", Duration.ofSeconds(20));
        assertThat(JSON.readTree(api.get("/pools/shop/backends/slow-1").body()).path("adminState").asText()).isEqualTo("draining");
        browser.screenshot("pool-drained");
    }

    @Test
    void anAdminSetsAMirrorAndARateLimitInTheRouteFormAndSeesThemBack() throws Exception {
        created(api.post("/pools", "{\"name\": \"front\"}"));
        created(api.post("/pools", "{\"name\": \"shadow\"}"));
        created(api.post("/pools", "{\"name\": \"doomed\"}"));
        signIn(ControlPlane.ADMIN_TOKEN);
        go("#/routes");
        browser.type("#route-name", "guarded");
        browser.type("#route-hosts", "guarded.test");
        browser.type("#route-pool", "front");
        browser.select("#route-mirror-pool", "shadow");
        browser.type("#route-mirror-percent", "25");
        browser.type("#route-ratelimit-rps", "50");
        browser.type("#route-ratelimit-burst", "80");
        browser.select("#route-ratelimit-key", "header");
        browser.type("#route-ratelimit-header", "X-Api-Key");
        browser.select("#route-ratelimit-scope", "node");
        browser.click("#route-submit");

        String row = "#routes tr[data-route='guarded']";
        browser.awaitText(row, "mirrored to shadow (25%)", Duration.ofSeconds(10));
        assertThat(browser.find(row + " td.rate-limit").getText()).isEqualTo("50 req/s, burst 80, per X-Api-Key header, each data plane");
        browser.script("document.getElementById('routes').scrollIntoView();");
        browser.screenshot("routes-mirror-rate-limit");
        JsonNode stored = JSON.readTree(api.get("/routes/guarded").body());
        assertThat(stored.path("mirror").toString()).isEqualTo("{\"pool\":\"shadow\",\"percent\":25,\"maxBody\":65536}");
        assertThat(stored.path("rateLimit").toString())
                .isEqualTo("{\"requestsPerSecond\":50,\"burst\":80,\"key\":\"header:X-Api-Key\",\"scope\":\"node\"}");

        // Editing fills the fields with the stored values; the JSON box holds neither.
        browser.click(row + " td.actions button.secondary");
        browser.awaitText("#route-form-title", "Edit route guarded", Duration.ofSeconds(10));
        assertThat(value("#route-mirror-pool")).isEqualTo("shadow");
        assertThat(value("#route-mirror-percent")).isEqualTo("25");
        assertThat(value("#route-mirror-maxbody")).isEqualTo("65536");
        assertThat(value("#route-ratelimit-rps")).isEqualTo("50");
        assertThat(value("#route-ratelimit-burst")).isEqualTo("80");
        assertThat(value("#route-ratelimit-key")).isEqualTo("header");
        assertThat(value("#route-ratelimit-header")).isEqualTo("X-Api-Key");
        assertThat(value("#route-ratelimit-scope")).isEqualTo("node");
        assertThat(value("#route-actions")).isEmpty();

        // A burst of 0: the API's message next to Burst, and nothing is written.
        browser.type("#route-ratelimit-burst", "0");
        browser.click("#route-submit");
        browser.await("#route-ratelimit-burst[aria-invalid='true']");
        assertThat(browser.find("#route-ratelimit-burst-error").getText()).contains("between 1 and 1000000");
        browser.screenshot("routes-rate-limit-error");
        assertThat(JSON.readTree(api.get("/routes/guarded").body()).path("rateLimit").path("burst").asInt()).isEqualTo(80);

        // The JSON box does not take a second mirror: it says where the mirror is set.
        browser.type("#route-ratelimit-burst", "80");
        browser.type("#route-actions", "{\"mirror\": {\"pool\": \"front\"}}");
        browser.click("#route-submit");
        browser.await("#route-actions[aria-invalid='true']");
        assertThat(browser.find("#route-actions-error").getText()).contains("Mirror fields above");
        browser.type("#route-actions", "");

        // A mirror pool deleted after the form listed it: the API's message next to the mirror's pool, nothing written.
        browser.select("#route-mirror-pool", "doomed");
        assertThat(api.delete("/pools/doomed").statusCode()).isEqualTo(204);
        browser.click("#route-submit");
        browser.await("#route-mirror-pool[aria-invalid='true']");
        assertThat(browser.find("#route-mirror-pool-error").getText()).contains("pool 'doomed' does not exist");
        assertThat(browser.find("#route-ratelimit-burst").getAttribute("aria-invalid")).isNull();
        assertThat(JSON.readTree(api.get("/routes/guarded").body()).path("mirror").path("pool").asText()).isEqualTo("shadow");

        // Emptied fields remove both: the route neither mirrors nor limits.
        browser.select("#route-mirror-pool", "");
        browser.type("#route-mirror-percent", "");
        browser.type("#route-mirror-maxbody", "");
        browser.type("#route-ratelimit-rps", "");
        browser.type("#route-ratelimit-burst", "");
        browser.select("#route-ratelimit-key", "source-ip");
        browser.select("#route-ratelimit-scope", "fleet");
        browser.click("#route-submit");
        browser.awaitMatch(row + " td.rate-limit", "—", Duration.ofSeconds(10));
        assertThat(browser.find(row).getText()).doesNotContain("mirrored");
        JsonNode cleared = JSON.readTree(api.get("/routes/guarded").body());
        assertThat(cleared.has("mirror") || cleared.has("rateLimit")).as(cleared.toString()).isFalse();
    }

    /** What an input, select or textarea holds now (its live value, not the attribute it was drawn with). */
    private String value(String css) {
        return browser.await(css).getDomProperty("value");
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

        // Roll back is offered, not in red, on older revisions only: not the current one, not revision 1.
        assertThat(browser.all("#revisions button.danger")).isEmpty();
        assertThat(browser.all("#revisions tr[data-revision='" + after + "'] button.rollback")).isEmpty();
        assertThat(browser.all("#revisions tr[data-revision='1'] button.rollback")).isEmpty();
        browser.click("#revisions tr[data-revision='" + before + "'] button.rollback");
        browser.confirm();
        browser.awaitText("#revisions-notice", "Rolled back to revision " + before, Duration.ofSeconds(10));
        assertThat(JSON.readTree(api.get("/pools/history").body()).path("description").asText()).isEqualTo("before");
        go("#/pools/history");
        assertThat(browser.await("#setting-description").getAttribute("value")).isEqualTo("before");
    }

    @Test
    void aViewerSeesEverythingButNoControlThatChangesAnything() throws Exception {
        created(api.post("/pools", "{\"name\": \"seen\", \"backends\": [{\"name\": \"s1\", \"host\": \"127.0.0.1\", \"port\": 9}]}"));
        signIn(issueToken("console-viewer", "viewer"));
        assertThat(browser.find("#whoami").getText()).contains("viewer");
        for (String page : List.of("#/overview", "#/pools/seen", "#/routes", "#/revisions", "#/events")) {
            go(page);
            browser.await("#main .live > *, #main .empty, #events");
            assertThat(browser.all("#main form#new-pool, #main form#add-backend, #main form#settings-form, #main form#new-route"))
                    .as("write forms on " + page).isEmpty();
            assertThat(buttonTexts().stream()
                    .filter(t -> t.matches("Drain|Enable|Disable|Edit|Remove|Delete.*|Roll back.*|Save.*|Create.*|Add.*")).toList())
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
        browser.awaitText("#dataplanes tr[data-node='console-dp-1'] td.sync", "synced", Duration.ofSeconds(20));
        browser.awaitMatch("#dataplanes tr[data-node='console-dp-1'] td.propagation", expectedPropagation("console-dp-1"), Duration.ofSeconds(10));
        for (var size : List.of(Browser.LAPTOP, Browser.PHONE)) {
            browser.resize(size);
            String suffix = size.equals(Browser.PHONE) ? "-phone" : "";
            for (String page : List.of("overview", "pools", "pools/tour", "routes", "revisions", "events")) {
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

        browser.click("a[data-nav='pools']");
        await("the Pools page").atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(browser.script("return document.title;")).startsWith("Pools"));
        browser.await("#pools tr[data-pool='tour']");

        int cpLogBefore = cp.output().length();
        int dpLogBefore = dp1.output().length();
        cp.stop();
        browser.awaitText("#banner", "unreachable", Duration.ofSeconds(10));
        // A clean stop is an expected event: no warning about the database, no stack trace, on either side.
        String stopping = cp.output().substring(cpLogBefore);
        assertThat(stopping).as(stopping).contains("stopped in").doesNotContain("\tat ").doesNotContainPattern("(?m)^\\S+ \\S+ (WARN|ERROR) ");
        await("data plane 1 noticed").atMost(Duration.ofSeconds(10)).until(() -> dp1.output().substring(dpLogBefore).contains("closed"));
        String dpSaw = dp1.output().substring(dpLogBefore);
        assertThat(dpSaw).as(dpSaw).doesNotContain("SEVERE").doesNotContain("\tat ");
        // Opening the overview again while the control plane is down shows the last answers under a banner, not "Loading…".
        browser.click("a[data-nav='routes']");
        browser.click("a[data-nav='overview']");
        browser.awaitText("#main .stale", "this is what it reported at", Duration.ofSeconds(15));
        browser.await("#dataplanes tr[data-node='console-dp-1']");
        assertThat(browser.find("#main").getText()).doesNotContain("Loading…");
        browser.screenshot("overview-unreachable");
        cp.start();
        await("banner gone").atMost(Duration.ofSeconds(20)).until(() -> !browser.find("#banner").isDisplayed());
    }

    @Test
    void everyPagePassesAxeAndEveryControlIsReachableByKeyboardOnALaptopAndAPhone() throws Exception {
        TestBackend up = closeLater(TestBackend.start("a11y-up"));
        created(api.post("/pools", "{\"name\": \"a11y\", \"backends\": [{\"name\": \"a1\", \"host\": \"127.0.0.1\", \"port\": "
                + up.port() + "}]}"));
        created(api.post("/routes", "{\"name\": \"a11y\", \"hosts\": [\"a11y.test\"], \"pool\": \"a11y\"}"));
        List<String> problems = new ArrayList<>();
        for (var size : List.of(Browser.LAPTOP, Browser.PHONE)) {
            browser.resize(size);
            String at = size.equals(Browser.PHONE) ? "phone" : "laptop";
            browser.open(cp.url() + "/#/overview");
            if (!browser.all("#topbar:not([hidden])").isEmpty()) {
                browser.click("#signout");
            }
            browser.await("#token");
            if (problems.isEmpty() && size.equals(Browser.LAPTOP)) {
                // The check can fail: an input without a label is found.
                browser.script("const i = document.createElement('input'); i.id = 'axe-canary'; document.querySelector('main').append(i);");
                assertThat(browser.axeViolations()).anyMatch(v -> v.startsWith("label") && v.contains("#axe-canary"));
                browser.script("document.getElementById('axe-canary').remove();");
                // … and a link taken out of the tab order is found by the keyboard walk.
                browser.script("const a = document.createElement('a'); a.href = '#/overview'; a.tabIndex = -1; a.id = 'kb-canary';"
                        + " a.textContent = 'canary'; document.querySelector('main').append(a);");
                assertThat(browser.unreachableByKeyboard()).anyMatch(c -> c.contains("kb-canary"));
                browser.script("document.getElementById('kb-canary').remove();");
            }
            check("sign-in", at, problems);
            signIn(ControlPlane.ADMIN_TOKEN);
            for (String page : List.of("overview", "pools", "pools/a11y", "routes", "revisions", "events")) {
                go("#/" + page);
                browser.await("#main .live > *, #main .empty, #events");
                // Live parts fill in after the first answers: check the page as an operator sees it.
                if (page.equals("pools/a11y")) {
                    browser.await("#backends tr[data-backend='a1']");
                    browser.await("#settings-form");
                }
                check(page, at, problems);
            }
        }
        browser.resize(Browser.LAPTOP);
        assertThat(problems).as("accessibility problems (screenshots a11y-*.png)").isEmpty();
    }

    private void check(String page, String size, List<String> problems) {
        browser.screenshot("a11y-" + page.replace('/', '-') + "-" + size);
        for (String v : browser.axeViolations()) {
            problems.add(page + " (" + size + ") axe: " + v);
        }
        for (String c : browser.unreachableByKeyboard()) {
            problems.add(page + " (" + size + ") not reachable with Tab: " + c);
        }
    }

    @Test
    void aPoolPageShowsLatencyDowntimeAChartWithClockTicksAndAReadOutAndGroupedSettings() throws Exception {
        TestBackend fast = closeLater(TestBackend.start("fast-1"));
        created(api.post("/pools", "{\"name\": \"quick\", \"healthCheck\": {\"interval\": \"500ms\"}, \"backends\": [{\"name\": \"f1\","
                + " \"host\": \"127.0.0.1\", \"port\": " + fast.port() + "}, {\"name\": \"gone\", \"host\": \"127.0.0.1\", \"port\": 9}]}"));
        created(api.post("/routes?wait=converged", "{\"name\": \"quick\", \"hosts\": [\"quick.test\"], \"pool\": \"quick\"}"));
        awaitHealthy(dp1, "f1");
        for (int i = 0; i < 40; i++) {
            assertThat(dp1.proxy().getWithHost("/q/" + i, "quick.test").statusCode()).isEqualTo(200);
        }
        signIn(ControlPlane.ADMIN_TOKEN);
        go("#/pools/quick");
        // p50/p99 come with the next heartbeat (every 5 s), for the pool and for the backend that served them.
        browser.awaitMatch("#stat-p99 dd", "\\d+(\\.\\d)? ms|\\d\\.\\d\\d s", Duration.ofSeconds(20));
        browser.awaitMatch("#backends tr[data-backend='f1'] td.latency", "\\d+(\\.\\d)? ms / \\d+(\\.\\d)? ms", Duration.ofSeconds(20));
        browser.awaitMatch("#stat-requests dd", "\\d+\\.\\d req/s", Duration.ofSeconds(5));
        // The dead backend has been down since it was added; the live one not at all.
        browser.awaitMatch("#backends tr[data-backend='gone'] td.downtime", "[1-9]\\d* s|\\d+ min.*", Duration.ofSeconds(20));
        assertThat(browser.find("#backends tr[data-backend='f1'] td.downtime").getText()).isEqualTo("0 s");
        assertThat(browser.find("#backends tr[data-backend='f1'] td.health").getText()).containsPattern("for \\d+ (s|min)");

        // Clock-time ticks under the chart, and a read-out of the bucket under the pointer or chosen with the keys.
        browser.await("#traffic-chart .chart-figure");
        assertThat(browser.all("#traffic-chart .tick-label")).as("time ticks").hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.all("#traffic-chart .tick-label").get(0).getText()).matches("\\d{1,2}:\\d{2}( [AP]M)?");
        new org.openqa.selenium.interactions.Actions(browser.driver())
                .moveToElement(browser.find("#traffic-chart svg"), 200, 0).perform();
        String hovered = browser.awaitMatch("#traffic-chart .readout", ".*\\d{1,2}:\\d{2}:\\d{2}.*: [\\d.]+ requests/s, [\\d.]+ 5xx/s", Duration.ofSeconds(5));
        // The keyboard reads it too: focus the chart, End goes to the newest bucket, Left to the one before.
        browser.script("document.querySelector('#traffic-chart .chart-figure').focus();");
        new org.openqa.selenium.interactions.Actions(browser.driver()).sendKeys(org.openqa.selenium.Keys.END).perform();
        String newest = browser.awaitMatch("#traffic-chart .readout", ".*requests/s.*", Duration.ofSeconds(5));
        new org.openqa.selenium.interactions.Actions(browser.driver()).sendKeys(org.openqa.selenium.Keys.ARROW_LEFT).perform();
        await("the read-out moved one bucket back").atMost(Duration.ofSeconds(5)).until(() ->
                !browser.find("#traffic-chart .readout").getText().equals(newest));
        assertThat(hovered).isNotBlank();
        browser.screenshot("pool-latency-readout");

        // Settings in named groups; a row's actions side by side.
        assertThat(browser.all("#settings-form fieldset legend").stream().map(e -> e.getText()).toList())
                .containsExactly("Load balancing", "Health check", "Timeouts", "Retries and panic mode");
        List<org.openqa.selenium.WebElement> buttons = browser.all("#backends tr[data-backend='f1'] td.actions button");
        assertThat(buttons).hasSizeGreaterThanOrEqualTo(3);
        assertThat(buttons.stream().map(b -> b.getRect().getY()).distinct()).as("one row of buttons").hasSize(1);
        browser.script("document.getElementById('settings').scrollIntoView();");
        browser.screenshot("pool-settings-grouped");
        // Bytes each way, per pool and per backend that served them.
        // (rates are the latest complete 10-s bucket's, so traffic keeps flowing while it waits)
        await("bytes out shown").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            dp1.proxy().getWithHost("/bytes", "quick.test");
            return browser.find("#stat-bytes dd").getText().matches("\\d+(\\.\\d)? (B|KiB|MiB)/s / [1-9][\\d.]* (B|KiB|MiB)/s")
                    && browser.find("#backends tr[data-backend='f1'] td.requests .bytes").getText().matches(".* in · [1-9][\\d.]* (B|KiB|MiB)/s out");
        });

        // (after the chart's keyboard read-out, which a re-render between focus and key press would spoil)
        // The latest health check, as each backend's probes found it: an answer for f1, a refusal for the dead port.
        browser.awaitMatch("#backends tr[data-backend='f1'] td.health .last-check", "last check \\d+ s ago: OK 200", Duration.ofSeconds(20));
        browser.awaitMatch("#backends tr[data-backend='gone'] td.health .last-check", "last check \\d+ s ago: refused", Duration.ofSeconds(20));
        // Read in one script: the table re-renders with every heartbeat, so an element found a moment ago may be gone.
        await("each data plane's own check on hover").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Object perNode = browser.script("const e = document.querySelector(arguments[0]); return e ? e.title : '';",
                    "#backends tr[data-backend='f1'] td.health .last-check");
            return String.valueOf(perNode).contains(dp1.nodeId() + ": OK 200") && String.valueOf(perNode).contains(dp2.nodeId() + ": OK 200");
        });
        // The keep-alive connections that carried the 40 requests stay open, idle; nothing waits for a slot.
        browser.awaitMatch("#backends tr[data-backend='f1'] td.connections", "[1-9]\\d*", Duration.ofSeconds(20));
        browser.awaitMatch("#backends tr[data-backend='gone'] td.connections", "0", Duration.ofSeconds(5));
        browser.awaitMatch("#stat-queued dd", "0", Duration.ofSeconds(5));
        browser.screenshot("pool-connections-last-check");
        // The pools list has the pool's p50/p99 next to its rate and 5xx.
        go("#/overview");
        browser.awaitMatch("#pools tr[data-pool='quick'] td.latency", "\\d+(\\.\\d)? ms / \\d+(\\.\\d)? ms", Duration.ofSeconds(20));
    }

    @Test
    void savingSettingsNeverOverwritesAChangeTheAdminHasNotSeen() throws Exception {
        created(api.post("/pools", "{\"name\": \"contested\", \"description\": \"original\"}"));
        signIn(ControlPlane.ADMIN_TOKEN);
        go("#/pools/contested");
        browser.await("#settings-form");

        // Someone else changes the same setting after the page was opened: saving must not overwrite it.
        ok(patch("/pools/contested", "{\"description\": \"theirs\"}"));
        browser.type("#setting-description", "mine");
        browser.click("#save-settings");
        browser.awaitText("#settings-form .alert", "someone else changed this pool since you opened it (Description is now theirs)", Duration.ofSeconds(10));
        browser.screenshot("pool-settings-conflict");
        assertThat(JSON.readTree(api.get("/pools/contested").body()).path("description").asText()).isEqualTo("theirs");
        browser.click("#load-theirs");
        assertThat(browser.await("#setting-description").getAttribute("value")).isEqualTo("theirs");

        // A change to another setting meanwhile is no conflict: both are kept.
        ok(patch("/pools/contested", "{\"timeouts\": {\"connect\": \"3s\"}}"));
        browser.type("#setting-description", "mine");
        browser.click("#save-settings");
        browser.awaitText("#pool-notice", "Settings saved", Duration.ofSeconds(10));
        JsonNode pool = JSON.readTree(api.get("/pools/contested").body());
        assertThat(pool.path("description").asText()).isEqualTo("mine");
        assertThat(pool.path("timeouts").path("connect").asText()).as(pool.toString()).isEqualTo("3s");
    }

    @Test
    void anOperatorDrainsAndEnablesButCannotEditThePool() throws Exception {
        created(api.post("/pools", "{\"name\": \"ops\", \"backends\": [{\"name\": \"o1\", \"host\": \"127.0.0.1\", \"port\": 9},"
                + " {\"name\": \"o2\", \"host\": \"127.0.0.1\", \"port\": 10}]}"));
        signIn(issueToken("console-operator", "operator"));
        assertThat(browser.find("#whoami").getText()).contains("operator");
        go("#/pools/ops");
        browser.await("#backends tr[data-backend='o1']");
        assertThat(browser.all("#main form#add-backend, #main form#settings-form, #delete-pool")).isEmpty();
        assertThat(browser.all("#settings dl.settings")).as("one read-only list per settings group").hasSize(4);
        assertThat(buttonTexts()).contains("Drain", "Disable").doesNotContain("Remove");
        browser.screenshot("pool-as-operator");

        browser.click("#backends tr[data-backend='o1'] td.actions button");
        assertThat(browser.find("#confirm-title").getText()).isEqualTo("Drain o1?");
        browser.confirm();
        browser.awaitMatch("#backends tr[data-backend='o1'] td.admin-state", "draining.*|drained", Duration.ofSeconds(10));
        assertThat(JSON.readTree(api.get("/pools/ops/backends/o1").body()).path("adminState").asText()).isEqualTo("draining");

        browser.click("#backends tr[data-backend='o1'] td.actions button");
        assertThat(browser.find("#confirm-title").getText()).isEqualTo("Enable o1?");
        browser.confirm();
        browser.awaitMatch("#backends tr[data-backend='o1'] td.admin-state", "enabled", Duration.ofSeconds(10));
        assertThat(JSON.readTree(api.get("/pools/ops/backends/o1").body()).path("adminState").asText()).isEqualTo("enabled");
    }

    @Test
    void theHealthEventsPageShowsRealTransitionsFilteredByPoolBackendAndPeriod() throws Exception {
        TestBackend up = closeLater(TestBackend.start("events-up"));
        created(api.post("/pools", "{\"name\": \"flappy\", \"healthCheck\": {\"path\": \"/\", \"interval\": \"300ms\", \"timeout\": \"200ms\","
                + " \"healthyThreshold\": 1, \"unhealthyThreshold\": 1}, \"backends\": [{\"name\": \"down\", \"host\": \"127.0.0.1\", \"port\": 9},"
                + " {\"name\": \"up\", \"host\": \"127.0.0.1\", \"port\": " + up.port() + "}]}"));
        await("health events of both backends").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            String events = api.get("/health/events?pool=flappy").body();
            assertThat(events).contains("\"backend\":\"down\"").contains("\"backend\":\"up\"");
            // Both data planes have reported the dead backend: the API answers it as one transition naming both.
            java.util.Set<String> sawDown = new java.util.HashSet<>();
            JSON.readTree(events).path("items").forEach(e -> {
                if (e.path("backend").asText().equals("down") && e.path("state").asText().startsWith("unhealthy")) {
                    e.path("nodes").forEach(n -> sawDown.add(n.path("nodeId").asText()));
                }
            });
            assertThat(sawDown).contains(dp1.nodeId(), dp2.nodeId());
        });

        signIn(ControlPlane.ADMIN_TOKEN);
        go("#/events");
        browser.select("#events-pool", "flappy");
        String down = browser.awaitText("#events li[data-pool='flappy'][data-backend='down']", "unhealthy", Duration.ofSeconds(10));
        assertThat(down).contains("flappy / down").contains("on console-dp-");
        // One line per transition, from → to, naming every data plane that saw it.
        browser.screenshot("events-grouped");
        await("one line per transition naming both data planes").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(browser.all("#events li[data-pool='flappy'][data-backend='down']").stream().map(el -> el.getText()))
                        .as("lines on the page; events in the API: %s", api.get("/health/events?pool=flappy&backend=down").body())
                        .anyMatch(t -> t.matches("(?s).*unhealthy flappy / down on console-dp-[12], console-dp-[12].*")));
        await("a transition shown from → to").atMost(Duration.ofSeconds(10)).until(() ->
                browser.all("#events li[data-pool='flappy'][data-backend='up']").stream().map(el -> el.getText())
                        .anyMatch(t -> t.matches("(?s).*(initial|unhealthy) → (unhealthy|healthy) flappy / up on .*")));
        browser.awaitText("#events li[data-pool='flappy'][data-backend='up']", "healthy", Duration.ofSeconds(10));
        browser.screenshot("events");

        browser.type("#events-backend", "up");
        browser.find("#events-backend").sendKeys(org.openqa.selenium.Keys.TAB);
        browser.await("#events li[data-backend='up']");
        await("only up's events").atMost(Duration.ofSeconds(10)).until(() -> browser.all("#events li[data-backend='down']").isEmpty());
        assertThat(browser.all("#events li:not([data-pool='flappy'])")).isEmpty();

        browser.type("#events-backend", "no-such-backend");
        browser.find("#events-backend").sendKeys(org.openqa.selenium.Keys.TAB);
        browser.awaitText("#main .live .empty", "No health changes match these filters", Duration.ofSeconds(10));

        // The period filter goes to the API as `since`: every event above is younger than 15 minutes.
        browser.type("#events-backend", "down");
        browser.find("#events-backend").sendKeys(org.openqa.selenium.Keys.TAB);
        browser.select("#events-since", Integer.toString(15 * 60));
        browser.awaitText("#events li[data-backend='down']", "unhealthy", Duration.ofSeconds(10));
    }

    @Test
    void aDataPlaneThatGoesAwayIsListedFirstOnTheOverview() throws Exception {
        DataPlane leaving = DataPlane.start("console-dp-leaving", cp.url(), ManagedProcess.tempDir("ballast-console-dp3"));
        try {
            signIn(ControlPlane.ADMIN_TOKEN);
            browser.awaitText("#dataplanes tr[data-node='console-dp-leaving'] td.sync", "synced", Duration.ofSeconds(20));
        } finally {
            leaving.close();
        }
        browser.awaitText("#dataplanes tr[data-node='console-dp-leaving'] td.sync", "offline", Duration.ofSeconds(30));
        assertThat(browser.find("#dataplanes tbody tr").getAttribute("data-node")).isEqualTo("console-dp-leaving");
        browser.screenshot("overview-node-offline");
    }

    /**
     * What the overview must show as the node's propagation of the newest revision: the latency that
     * {@code GET /revisions/{n}} reports for it, or a dash where this control plane reports none.
     */
    private String expectedPropagation(String node) throws Exception {
        JsonNode latest = JSON.readTree(api.get("/revisions/" + latestRevision()).body());
        for (JsonNode p : latest.path("propagation")) {
            if (node.equals(p.path("nodeId").asText()) && p.path("latencyMs").isNumber()) {
                long ms = p.path("latencyMs").asLong();
                return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
            }
        }
        return "—";
    }

    private String issueToken(String name, String role) throws Exception {
        HttpResponse<String> issued = api.post("/tokens", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return JSON.readTree(issued.body()).path("secret").asText();
    }

    @SuppressWarnings("unchecked")
    private List<String> buttonTexts() {
        return (List<String>) browser.script("return [...document.querySelectorAll('#main button')].map(b => b.innerText);");
    }

    private HttpResponse<String> patch(String path, String mergePatch) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(cp.url() + "/api/v1" + path))
                .header("Authorization", "Bearer " + ControlPlane.ADMIN_TOKEN).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(mergePatch)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private long latestRevision() throws Exception {
        return JSON.readTree(api.get("/revisions?limit=1").body()).path("items").get(0).path("number").asLong();
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
