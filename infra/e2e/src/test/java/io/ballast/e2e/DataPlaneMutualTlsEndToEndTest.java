package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS for data planes, with certificates made by {@code openssl} as an operator would: a control plane with
 * {@code BALLAST_DP_CLIENT_CA} takes a data plane that presents a certificate of that CA beside its token
 * ({@code BALLAST_CP_CLIENT_CERT} / {@code _KEY}) over {@code wss://}, and refuses one without a certificate, one with
 * a certificate of another issuer, and one on the plain port; the REST API over HTTPS still answers a client without
 * a certificate.
 */
class DataPlaneMutualTlsEndToEndTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** {@code name}.pem and {@code name}.key: a CA's self-signed certificate (P-256). */
    private static void ca(Path dir, String name) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                "-keyout", name + ".key", "-out", name + ".pem", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
    }

    /** {@code name}.pem and {@code name}.key: a client certificate issued by {@code ca}. */
    private static void client(Path dir, String name, String ca) throws Exception {
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + name);
        Files.writeString(dir.resolve(name + ".ext"), "extendedKeyUsage=clientAuth\n");
        run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", "30", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private static String lastPrintedFingerprint(ControlPlane cp) {
        Matcher m = Pattern.compile("TLS certificate fingerprint sha256:([0-9a-f]{64})").matcher(cp.output());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    @Test
    void onlyADataPlaneWithACertificateOfTheCaConnects() throws Exception {
        Path dir = ManagedProcess.tempDir("ballast-e2e-dp-mtls").toPath();
        ca(dir, "dp-ca");
        client(dir, "node-good", "dp-ca");
        ca(dir, "rogue-ca");
        client(dir, "node-rogue", "rogue-ca");
        ControlPlane cp = closer.later(ControlPlane.start("e2e-cp-mtls", dir.resolve("cp").toFile(),
                Map.of("BALLAST_DP_CLIENT_CA", dir.resolve("dp-ca.pem").toString())));
        assertThat(cp.output()).contains("data planes must present a client certificate issued by");
        String pin = "sha256:" + lastPrintedFingerprint(cp);
        String https = "https://127.0.0.1:" + cp.httpsPort();

        // The API and console over HTTPS stay reachable without a client certificate (the port asks, it does not require).
        Path cpCert = dir.resolve("cp").resolve("cp-tls-cert.pem");
        List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "-o", "/dev/null", "-w", "%{http_code}",
                "--cacert", cpCert.toString(), "-H", "Authorization: Bearer " + ControlPlane.ADMIN_TOKEN, https + "/api/v1/pools"));
        assertThat(run(dir, curl.toArray(new String[0]))).isEqualTo("200");

        TestBackend backend = closer.later(TestBackend.start("A"));
        E2e.webPool(cp.admin(), backend.port());

        DataPlane good = closer.later(DataPlane.launch("e2e-mtls-good-" + cp.httpsPort(), https, dir.resolve("dp-good").toFile(),
                Map.of("BALLAST_CP_PIN", pin, "BALLAST_CP_CLIENT_CERT", dir.resolve("node-good.pem").toString(),
                        "BALLAST_CP_CLIENT_KEY", dir.resolve("node-good.key").toString())));
        good.awaitReady();
        E2e.awaitServing(good, "A");

        DataPlane noCertificate = closer.later(DataPlane.launch("e2e-mtls-none-" + cp.httpsPort(), https, dir.resolve("dp-none").toFile(),
                Map.of("BALLAST_CP_PIN", pin)));
        DataPlane rogue = closer.later(DataPlane.launch("e2e-mtls-rogue-" + cp.httpsPort(), https, dir.resolve("dp-rogue").toFile(),
                Map.of("BALLAST_CP_PIN", pin, "BALLAST_CP_CLIENT_CERT", dir.resolve("node-rogue.pem").toString(),
                        "BALLAST_CP_CLIENT_KEY", dir.resolve("node-rogue.key").toString())));
        DataPlane plain = closer.later(DataPlane.launch("e2e-mtls-plain-" + cp.httpsPort(), cp.url(), dir.resolve("dp-plain").toFile()));
        for (DataPlane refused : List.of(noCertificate, rogue, plain)) {
            await("refused: " + refused).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                    .until(() -> refused.output().contains("could not connect to control plane"));
        }
        await("the control plane says why").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cp.output())
                .contains("no client certificate (BALLAST_DP_CLIENT_CA requires one)")
                .contains("not over HTTPS, and BALLAST_DP_CLIENT_CA requires a client certificate"));
        for (DataPlane refused : List.of(noCertificate, rogue, plain)) {
            HttpResponse<String> ready = refused.admin().tryGet("/ready");
            assertThat(ready == null || ready.statusCode() == 503).as("no config without a valid client certificate").isTrue();
        }
        assertThat(E2e.status(good).path("controlPlane").toString()).contains("wss://127.0.0.1:" + cp.httpsPort());
        // Only the certified node is in the fleet.
        String fleet = cp.admin().get("/dataplanes").body();
        assertThat(fleet).contains("e2e-mtls-good-").doesNotContain("e2e-mtls-none-").doesNotContain("e2e-mtls-rogue-")
                .doesNotContain("e2e-mtls-plain-");
    }
}
