package io.ballast.e2e;

import static io.ballast.e2e.E2e.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane over TLS: with {@code QUARKUS_HTTP_SSL_PORT} it generates a self-signed certificate once and
 * prints its fingerprint; the REST API answers over HTTPS ({@code curl --cacert}); a data plane with
 * {@code BALLAST_CP_PIN} connects over {@code wss://} and serves the config, one with another pin never connects,
 * and one with an {@code https://} URL and neither a pin nor a CA refuses to start with a clear message.
 */
class ControlPlaneTlsEndToEndTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    private static String curl(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("curl", "-sS", "--max-time", "10"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** The fingerprint the control plane printed last (its log file is shared by runs of the same name). */
    private static String lastPrintedFingerprint(ControlPlane cp) {
        Matcher m = Pattern.compile("TLS certificate fingerprint sha256:([0-9a-f]{64})").matcher(cp.output());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static String publicKeyPin(Path certificate) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "openssl x509 -in '" + certificate + "' -pubkey -noout | openssl pkey -pubin -outform der"
                + " | openssl dgst -sha256 -binary | base64").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void dataPlanesConnectOverWssWithThePinAndRefuseAnUnverifiedUrl() throws Exception {
        Path dir = ManagedProcess.tempDir("ballast-e2e-cp-tls").toPath();
        int sslPort = Ports.free();
        ControlPlane cp = closer.later(ControlPlane.start("e2e-cp-tls", dir.resolve("cp").toFile(),
                Map.of("QUARKUS_HTTP_SSL_PORT", Integer.toString(sslPort))));
        String fingerprint = lastPrintedFingerprint(cp);
        assertThat(fingerprint).as(cp.output()).isNotNull();
        Path certificate = dir.resolve("cp").resolve("cp-tls-cert.pem");
        String firstCertificate = Files.readString(certificate);
        assertThat(firstCertificate).contains("BEGIN CERTIFICATE");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "--pinnedpubkey", "sha256//" + publicKeyPin(certificate), "-k",
                "https://localhost:" + sslPort + "/q/health/live")).isEqualTo("200");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "--cacert", certificate.toString(),
                "https://localhost:" + sslPort + "/q/health/ready")).isEqualTo("200");
        String https = "https://localhost:" + sslPort;
        assertThat(curl("--cacert", certificate.toString(), "-H", "Authorization: Bearer " + ControlPlane.ADMIN_TOKEN,
                https + "/api/v1/pools")).contains("\"items\"");

        TestBackend backend = closer.later(TestBackend.start("A"));
        E2e.webPool(cp.admin(), backend.port());

        // Registered before it is awaited, so a data plane that never gets ready is still stopped.
        DataPlane pinned = closer.later(DataPlane.launch("e2e-cp-tls-pinned-" + sslPort, "https://127.0.0.1:" + sslPort,
                dir.resolve("dp1").toFile(), Map.of("BALLAST_CP_PIN", "sha256:" + fingerprint)));
        pinned.awaitReady();
        E2e.awaitServing(pinned, "A");
        assertThat(E2e.status(pinned).path("controlPlane").toString()).contains("wss://127.0.0.1:" + sslPort);

        DataPlane wrongPin = closer.later(DataPlane.launch("e2e-cp-tls-wrong-pin-" + sslPort, https, dir.resolve("dp2").toFile(),
                Map.of("BALLAST_CP_PIN", "sha256:" + "0".repeat(64))));
        await("the wrong pin is refused").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> wrongPin.output().contains("could not connect to control plane wss://"));
        HttpResponse<String> ready = wrongPin.admin().tryGet("/ready");
        assertThat(ready == null || ready.statusCode() == 503).as("no config from an unverified control plane").isTrue();

        DataPlane unverified = closer.later(DataPlane.launch("e2e-cp-tls-unverified-" + sslPort, https, dir.resolve("dp3").toFile(), Map.of()));
        assertThat(unverified.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(unverified.output()).contains("neither BALLAST_CP_CA nor BALLAST_CP_PIN is set");

        // A restart keeps the generated certificate, so the pin stays valid.
        cp.stop();
        cp.start();
        assertThat(lastPrintedFingerprint(cp)).isEqualTo(fingerprint);
        assertThat(Files.readString(certificate)).isEqualTo(firstCertificate);
        created(cp.admin().post("/routes", "{\"name\": \"after-restart\", \"pool\": \"web\", \"pathPrefix\": \"/after\"}"));
        E2e.awaitApplied(pinned, E2e.latestRevision(cp.admin()));
    }
}
