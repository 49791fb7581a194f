package io.ballast.e2e;

import static io.ballast.e2e.E2e.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation of a server certificate under steady HTTPS load on two real data-plane processes: a {@code PUT} of the
 * certificate (with {@code ?wait=converged}) while clients open a new TLS connection per request on both data
 * planes, and a keep-alive connection on each keeps sending. No handshake and no request fails, every handshake
 * that begins after the ack gets the new certificate, and the established connections keep theirs. Then a TLS
 * session from one data plane resumes on the other ({@code openssl s_client -sess_out / -sess_in}): the control
 * plane gave both the same session-ticket secret.
 */
class CertificateRotationEndToEndTest {
    private static final String HOST = "shop.example.com";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    private static String sClient(int port, String sessionFlag, Path session) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", HOST,
                "-ign_eof", sessionFlag, session.toString()).redirectErrorStream(true).start();
        // s_client reads until the server closes, so it also gets the TLS 1.3 tickets sent after the handshake.
        p.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("HTTP/1.1 200");
        return out;
    }

    @Test
    void rotationUnderLoadFailsNothingNewHandshakesGetTheNewCertificateOnceAckedAndSessionsResumeAcrossTheFleet() throws Exception {
        Path dir = ManagedProcess.tempDir("ballast-e2e-rotation").toPath();
        OpensslCertificate first = OpensslCertificate.make(dir, HOST);
        OpensslCertificate second = OpensslCertificate.make(dir, HOST);
        ControlPlane cp = closer.later(ControlPlane.start("e2e-rotation-cp", dir.resolve("cp").toFile()));
        TestBackend backend = closer.later(TestBackend.start("A"));
        Http api = cp.admin();
        E2e.webPool(api, backend.port());
        created(api.post("/certificates", first.body("shop")));

        List<Integer> tlsPorts = new ArrayList<>();
        List<DataPlane> dps = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            int tlsPort = Ports.free();
            tlsPorts.add(tlsPort);
            // Registered before it is awaited, so a data plane that never gets ready is still stopped.
            DataPlane dp = closer.later(DataPlane.launch("e2e-rotation-dp-" + i, cp.url(), dir.resolve("dp" + i).toFile(),
                    Map.of("BALLAST_TLS_LISTEN", "127.0.0.1:" + tlsPort)));
            dp.awaitReady();
            dps.add(dp);
        }
        TlsProbe probe = new TlsProbe(first.x509(), second.x509());
        for (int port : tlsPorts) {
            await("serving the first certificate on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> {
                        TlsProbe.Seen seen = probe.get(port, HOST, "/warm-up");
                        return seen.status() == 200 && seen.fingerprint().equals(first.fingerprint());
                    });
        }

        List<KeepAliveTls> established = new ArrayList<>();
        for (int port : tlsPorts) {
            established.add(closer.later(new KeepAliveTls(probe, port, HOST)));
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        Queue<TlsProbe.Seen> seen = new ConcurrentLinkedQueue<>();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger keptAlive = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<?>> load = new ArrayList<>();
        try {
            for (int port : tlsPorts) {
                for (int t = 0; t < 2; t++) {
                    load.add(clients.submit(() -> {
                        // Bounded by the flag and a hard cap.
                        for (int n = 0; loading.get() && n < 5_000; n++) {
                            try {
                                TlsProbe.Seen s = probe.get(port, HOST, "/load");
                                seen.add(s);
                                if (s.status() != 200) {
                                    failures.add(port + ": status " + s.status());
                                }
                            } catch (Exception e) {
                                failures.add(port + ": " + e);
                            }
                        }
                        return null;
                    }));
                }
            }
            for (KeepAliveTls connection : established) {
                load.add(clients.submit(() -> {
                    for (int n = 0; loading.get() && n < 20_000; n++) {
                        try {
                            if (connection.get("/kept") != 200) {
                                failures.add("keep-alive: not 200");
                            }
                            keptAlive.incrementAndGet();
                            Thread.sleep(5);
                        } catch (Exception e) {
                            failures.add("keep-alive: " + e);
                            return null;
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1_500);

            long sent = System.nanoTime();
            HttpResponse<String> put = CLIENT.send(HttpRequest.newBuilder(URI.create(cp.url() + "/api/v1/certificates/shop?wait=converged&timeout=10s"))
                    .header("Authorization", "Bearer " + ControlPlane.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(second.body("shop"))).build(), HttpResponse.BodyHandlers.ofString());
            long acked = System.nanoTime();
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

            Thread.sleep(2_000);
            loading.set(false);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }

            assertThat(failures).as("failed handshakes or requests").isEmpty();
            List<TlsProbe.Seen> all = new ArrayList<>(seen);
            List<TlsProbe.Seen> afterAck = all.stream().filter(s -> s.started() > acked).toList();
            assertThat(all.stream().filter(s -> s.started() < sent)).as("handshakes before the PUT").isNotEmpty()
                    .allMatch(s -> s.fingerprint().equals(first.fingerprint()));
            assertThat(afterAck).as("handshakes begun after the ack").hasSizeGreaterThan(10)
                    .allMatch(s -> s.fingerprint().equals(second.fingerprint()));
            long firstNew = all.stream().filter(s -> s.fingerprint().equals(second.fingerprint()))
                    .mapToLong(TlsProbe.Seen::handshaken).min().orElseThrow();
            long lastOld = all.stream().filter(s -> s.fingerprint().equals(first.fingerprint()))
                    .mapToLong(TlsProbe.Seen::handshaken).max().orElseThrow();
            System.out.printf("rotation: %d handshakes+requests, 0 failed, %d keep-alive requests; PUT to ack %d ms; "
                            + "new certificate first served %d ms after the PUT was sent (%+d ms from the ack); "
                            + "last old-certificate handshake completed %+d ms from the ack%n",
                    all.size(), keptAlive.get(), (acked - sent) / 1_000_000, (firstNew - sent) / 1_000_000,
                    (firstNew - acked) / 1_000_000, (lastOld - acked) / 1_000_000);
            assertThat((firstNew - acked) / 1_000_000).as("new certificate served within 1 s of the ack").isLessThan(1_000);
            for (KeepAliveTls connection : established) {
                assertThat(connection.fingerprint()).isEqualTo(first.fingerprint());
                assertThat(connection.currentFingerprint()).as("an established connection keeps its certificate")
                        .isEqualTo(first.fingerprint());
                assertThat(connection.get("/after")).isEqualTo(200);
            }
            assertThat(keptAlive.get()).isGreaterThan(50);

            // Session tickets are shared by the fleet (the control plane sent both the same secret): a session
            // from one data-plane process resumes on the other.
            Path session = dir.resolve("session.pem");
            assertThat(sClient(tlsPorts.get(0), "-sess_out", session)).contains("New, TLSv1.3");
            assertThat(sClient(tlsPorts.get(1), "-sess_in", session)).contains("Reused, TLSv1.3");
        } finally {
            loading.set(false);
            clients.shutdownNow();
        }
    }
}
