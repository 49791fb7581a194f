package io.ballast.e2e;

import static io.ballast.e2e.E2e.created;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's certificates page in a real browser against a real control plane and data plane: hosts, days
 * left (a warning under 30 days), which data planes serve each certificate, a trust bundle served by none, and
 * never a private key.
 */
class CertificatesBrowserTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void theCertificatesPageShowsExpiryHostsAndTheDataPlanesServingEach() throws Exception {
        Path dir = ManagedProcess.tempDir("ballast-e2e-cert-console").toPath();
        ControlPlane cp = closer.later(ControlPlane.start("e2e-cert-console-cp", dir.resolve("cp").toFile()));
        Http api = cp.admin();
        OpensslCertificate shop = OpensslCertificate.make(dir, 90, "shop.example.com", "www.shop.example.com");
        OpensslCertificate soon = OpensslCertificate.make(dir, 10, "soon.example.com");
        OpensslCertificate ca = OpensslCertificate.make(dir, 365, "ca.example.com");
        created(api.post("/certificates", shop.body("shop")));
        created(api.post("/certificates", soon.body("soon")));
        created(api.post("/certificates", E2e.JSON.writeValueAsString(Map.of("name", "partner-ca", "certificate", ca.certificate()))));
        // Registered before it is awaited, so a data plane that never gets ready is still stopped.
        DataPlane dp = closer.later(DataPlane.launch("e2e-cert-console-dp", cp.url(), dir.resolve("dp").toFile()));
        dp.awaitReady();
        E2e.awaitApplied(dp, E2e.latestRevision(api));

        Browser browser = closer.later(Browser.start());
        browser.open(cp.url() + "/#/overview");
        browser.type("#token", ControlPlane.ADMIN_TOKEN);
        browser.click("#signin");
        browser.await("#topbar");
        browser.click("[data-nav=certificates]");
        browser.await("#certificates");
        assertThat(browser.driver().getTitle()).isEqualTo("Certificates — Ballast");

        String shopRow = browser.awaitText("tr[data-certificate=shop]", "e2e-cert-console-dp", Duration.ofSeconds(10));
        assertThat(shopRow).contains("shop.example.com, www.shop.example.com").containsPattern("(89|90) days left").contains("EC");
        assertThat(browser.find("tr[data-certificate=shop] .expiry .badge").getAttribute("class")).contains("good");

        String soonRow = browser.awaitText("tr[data-certificate=soon]", "e2e-cert-console-dp", Duration.ofSeconds(10));
        assertThat(soonRow).containsPattern("(9|10) days left");
        assertThat(browser.find("tr[data-certificate=soon] .expiry .badge").getAttribute("class")).contains("warn");

        assertThat(browser.awaitText("tr[data-certificate=partner-ca]", "trust bundle", Duration.ofSeconds(10)))
                .contains("not served (trust bundle)").contains("none");
        assertThat(browser.driver().getPageSource()).doesNotContain("PRIVATE KEY");
        browser.screenshot("certificates");
    }
}
