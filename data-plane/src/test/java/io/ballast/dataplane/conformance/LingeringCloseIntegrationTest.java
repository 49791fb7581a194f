package io.ballast.dataplane.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.InFlight;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client still sending when the proxy refuses its request reads the refusal: the proxy shuts its side after the
 * answer and drops what keeps coming (lingering close), instead of closing a socket with unread input, which makes
 * the kernel reset the connection and discard the answer the client has not read yet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LingeringCloseIntegrationTest {
    private RawBackend backend;
    private DataPlane dp;

    @BeforeAll
    void start() throws Exception {
        backend = new RawBackend();
        dp = backend.startProxy(Files.createTempDirectory("lingering"), "lingering", Duration.ofSeconds(5));
    }

    @AfterAll
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backend.close();
    }

    /** The head goes out in two parts, the second (in pieces) after the proxy has answered; only then does the client read. */
    @ParameterizedTest(name = "{0} KiB, then {0} KiB more")
    @ValueSource(ints = {20, 40, 256})
    void a431ReachesAClientThatKeepsSendingItsHead(int kib) throws Exception {
        String answer;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), DataPlaneFixture.proxyPort(dp))) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /c HTTP/1.1\r\nHost: example.test\r\nX-Big: " + "b".repeat(kib * 1024)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            try {
                // In pieces: a reset provoked by the first would fail the next write.
                for (int i = 0; i < 8; i++) {
                    out.write("c".repeat(kib * 128).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(30);
                }
            } catch (IOException e) {
                throw new AssertionError("the proxy reset the connection while the client was sending", e);
            }
            answer = RawClient.readAll(s.getInputStream());
        }
        assertThat(answer).startsWith("HTTP/1.1 431 ").contains("application/problem+json").contains("\"status\":431");
        assertThat(backend.allRequests(50, 1000)).isEmpty();
        InFlight.awaitZero(dp);
    }
}
