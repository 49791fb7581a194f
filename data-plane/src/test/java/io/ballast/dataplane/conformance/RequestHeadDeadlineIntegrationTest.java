package io.ballast.dataplane.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The request-head deadline measures the head only: a slow body, an idle keep-alive connection and HTTP/2 with
 * prior knowledge are not cut, while a second head trickled on a kept-alive connection is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestHeadDeadlineIntegrationTest {
    private static final long HEAD_TIMEOUT_MS = 1000;
    private static final String GET = "GET /c HTTP/1.1\r\nHost: example.test\r\n\r\n";

    private RawBackend backend;
    private DataPlane dp;
    private int port;

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createTempDirectory("head-deadline");
        backend = new RawBackend();
        dp = backend.startProxy(dir, "head-deadline", Duration.ofMillis(HEAD_TIMEOUT_MS));
        port = DataPlaneFixture.proxyPort(dp);
    }

    @AfterAll
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backend.close();
    }

    @BeforeEach
    void reset() {
        backend.forget();
        backend.answer(RawBackend.OK);
        backend.quietMillis(300);
    }

    @Test
    void aBodySlowerThanTheHeadTimeoutIsNotCut() throws Exception {
        backend.quietMillis(1500);
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write("POST /c HTTP/1.1\r\nHost: example.test\r\nContent-Length: 5\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // 5 bytes over about twice the head timeout.
            for (byte b : "hello".getBytes(StandardCharsets.US_ASCII)) {
                Thread.sleep(HEAD_TIMEOUT_MS * 2 / 5);
                out.write(b);
                out.flush();
            }
            String answer = RawClient.readAll(s.getInputStream());
            assertThat(RawClient.status(answer)).isEqualTo(200);
        }
        assertThat(backend.nextRequest(2000)).endsWith("hello");
    }

    @Test
    void anIdleKeptAliveConnectionIsNotCutByTheHeadDeadline() throws Exception {
        try (Socket s = socket()) {
            assertThat(RawClient.status(exchangeOne(s, GET))).isEqualTo(200);
            Thread.sleep(HEAD_TIMEOUT_MS * 2);
            assertThat(RawClient.status(exchangeOne(s, GET))).isEqualTo(200);
        }
    }

    @Test
    void aSecondHeadTrickledOnAKeptAliveConnectionGets408() throws Exception {
        try (Socket s = socket()) {
            assertThat(RawClient.status(exchangeOne(s, GET))).isEqualTo(200);
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            String answer = "";
            for (byte b : "GET /c HTTP/1.1\r\nHost: example.test\r\nX-Slow: yes\r\n".getBytes(StandardCharsets.US_ASCII)) {
                try {
                    out.write(b);
                    out.flush();
                } catch (java.io.IOException closed) {
                    break;
                }
                if (s.getInputStream().available() > 0) {
                    answer = RawClient.readAll(s.getInputStream());
                    break;
                }
                Thread.sleep(100);
            }
            if (answer.isEmpty()) {
                answer = RawClient.readAll(s.getInputStream());
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(elapsedMs).isBetween(HEAD_TIMEOUT_MS - 100, HEAD_TIMEOUT_MS + 2500);
        }
    }

    @Test
    void http2WithPriorKnowledgeStillWorksAndOutlivesTheHeadTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI("/c");
            for (int i = 0; i < 2; i++) {
                var response = client.request(get).compose(r -> r.send()).await(5, TimeUnit.SECONDS);
                assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(response.statusCode()).isEqualTo(200);
                // The same HTTP/2 connection is reused after longer than the head timeout.
                Thread.sleep(HEAD_TIMEOUT_MS + 300);
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private Socket socket() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(3000);
        return s;
    }

    /** Sends one request and reads exactly one Content-Length-framed response, leaving the connection open. */
    private static String exchangeOne(Socket s, String request) throws Exception {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        String length = head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1");
        int n = length.matches("\\d+") ? Integer.parseInt(length) : 0;
        byte[] body = in.readNBytes(n);
        return head + new String(body, StandardCharsets.ISO_8859_1);
    }
}
