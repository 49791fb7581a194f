package io.ballast.dataplane.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.InFlight;
import io.ballast.dataplane.upstream.Member;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A chunked body that breaks after its request is already on its way to a backend: the client is at fault, so it
 * gets a 400 problem (or, once the answer is out, the connection closes), and nothing of it counts against the
 * backend (no gateway failure, no ejection), while every in-flight count returns to zero.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedBodyIntegrationTest {
    private static final String HEAD = "POST /c HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";

    private RawBackend backend;
    private DataPlane dp;

    @BeforeAll
    void start() throws Exception {
        backend = new RawBackend();
        dp = backend.startProxy(Files.createTempDirectory("malformed-body"), "malformed-body", Duration.ofSeconds(5));
    }

    @AfterAll
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backend.close();
    }

    private Member member() {
        return dp.config().current().table().pool("raw").members().get(0);
    }

    @Test
    void aBadChunkWhileTheBackendHasTheRequestIsA400AndNotABackendFailure() throws Exception {
        backend.quietMillis(3000);
        int before = backend.accepted();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), DataPlaneFixture.proxyPort(dp))) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(HEAD.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backend.accepted() > before);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> member().inFlight() == 1);
            // 2^32: Netty alone reads it as 0, the last chunk, and the rest as the next request.
            out.write("100000000\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = RawClient.readAll(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("application/problem+json").contains("\"status\":400");
            assertThat(headOf(answer)).containsIgnoringCase("connection: close");
        } finally {
            backend.quietMillis(300);
        }
        InFlight.awaitZero(dp);
        assertThat(member().live().stats().gatewayFailures()).as("gateway failures counted against the backend").isZero();
        assertThat(member().live().health().state()).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void aBadChunkAfterTheAnswerClosesTheConnectionAndBlamesNobody() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), DataPlaneFixture.proxyPort(dp))) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(HEAD.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The raw backend answers after 300 ms of quiet: the whole answer reaches the client, the request is open.
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            String first = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            assertThat(first).startsWith("HTTP/1.1 200 ");
            out.write("zz\r\nGET /smuggled HTTP/1.1\r\nHost: example.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String rest = RawClient.readAll(s.getInputStream());
            assertThat(rest).as("no second answer").doesNotContain("HTTP/1.1");
            assertThat(s.getInputStream().read()).as("closed").isEqualTo(-1);
        }
        InFlight.awaitZero(dp);
        assertThat(backend.allRequests(50, 2000)).noneMatch(r -> r.contains("smuggled"));
        assertThat(member().live().stats().gatewayFailures()).isZero();
    }

    private static String headOf(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        return end < 0 ? raw : raw.substring(0, end);
    }
}
