package io.ballast.dataplane.proxy;

import static io.ballast.dataplane.proxy.RawHttp2Client.COMPRESSION_ERROR;
import static io.ballast.dataplane.proxy.RawHttp2Client.ENHANCE_YOUR_CALM;
import static io.ballast.dataplane.proxy.RawHttp2Client.PROTOCOL_ERROR;
import static io.ballast.dataplane.proxy.RawHttp2Client.REFUSED_STREAM;
import static io.ballast.dataplane.proxy.RawHttp2Client.block;
import static io.ballast.dataplane.proxy.RawHttp2Client.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.upstream.Member;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 against a hostile client (issue 15), frame by frame through {@link RawHttp2Client}: the stream limit the
 * proxy announces is the one it enforces, acknowledged or not; a header block cannot be kept open by a trickle
 * of CONTINUATION frames; a malformed field ends its stream with 400 or RST_STREAM and nothing reaches the
 * backend; request bodies without a length reach an HTTP/1.1 backend chunked, with their trailers, and
 * {@code :authority} becomes the backend's {@code Host}. After every case the backend's in-flight count is back
 * to 0, so nothing an exchange held is leaked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2HardeningIntegrationTest {
    private static final Duration HEAD_TIMEOUT = Duration.ofMillis(1500);

    private Path dir;
    private RecordingBackend backend;
    private DataPlane dp;
    private int port;
    private Http2Haproxy haproxy;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("h2-hardening");
        backend = new RecordingBackend();
        DataPlaneSettings settings = DataPlaneSettings.forTesting("h2-hardening", dir.resolve("cache"));
        settings = settings.withProxy(settings.proxy().withLimits(10_000, HEAD_TIMEOUT));
        dp = DataPlaneFixture.start(settings);
        HealthCheck tcpHealthy = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(30), null, null, null, null, "healthy");
        Pool pool = Pool.named("rec").withHealthCheck(tcpHealthy).withBackends(List.of(Backend.of("127.0.0.1", backend.port())));
        DataPlaneFixture.apply(dp, 1, new ConfigSnapshot(List.of(pool), List.of(Route.of("all", "rec"))));
        port = DataPlaneFixture.proxyPort(dp);
        haproxy = Http2Haproxy.start(dir, backend.port());
    }

    @AfterAll
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        dp.close().await(30, TimeUnit.SECONDS);
        backend.close();
    }

    @BeforeEach
    void forget() {
        backend.reset();
    }

    /** The invariant of TESTING.md §13: whatever a case did, every backend's in-flight count returns to 0. */
    @AfterEach
    void nothingHeld() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (Member m : dp.config().current().table().pool("rec").members()) {
                assertThat(m.live().inFlight()).as("in flight at " + m.backend().name()).isZero();
            }
        });
    }

    // --- stream limit -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} streams at once, SETTINGS acknowledged: {1}")
    @MethodSource("streamBursts")
    void streamsBeyondTheAnnouncedLimitAreRefused(int streams, boolean ack) throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, ack)) {
            for (int i = 0; i < streams; i++) {
                c.get(1 + 2 * i, "/burst?hold=1000", "limit.test");
            }
            int refused = 0;
            int answered = 0;
            for (int i = 0; i < streams; i++) {
                assertThat(c.awaitEnd(1 + 2 * i, 20_000)).as("stream %d ended", 1 + 2 * i).isTrue();
                RawHttp2Client.Stream s = c.stream(1 + 2 * i);
                if (s.reset == REFUSED_STREAM) {
                    refused++;
                } else {
                    assertThat(s.status()).isEqualTo(200);
                    answered++;
                }
            }
            assertThat(c.maxConcurrentStreams()).isEqualTo(ClientPipelines.MAX_CONCURRENT_STREAMS).isEqualTo(100);
            assertThat(answered).isEqualTo(100);
            assertThat(refused).isEqualTo(streams - 100);
            assertThat(backend.requests()).isEqualTo(100);
            // The refused streams cost the connection nothing: it still serves.
            int next = 1 + 2 * streams;
            c.get(next, "/after", "limit.test");
            assertThat(c.awaitEnd(next, 10_000)).isTrue();
            assertThat(c.stream(next).status()).isEqualTo(200);
        }
    }

    static Stream<Arguments> streamBursts() {
        return Stream.of(Arguments.of(101, false), Arguments.of(250, false), Arguments.of(250, true));
    }

    @ParameterizedTest(name = "{0} streams at once, SETTINGS acknowledged: {1}")
    @MethodSource("streamFloods")
    void aClientThatKeepsOpeningStreamsOverTheLimitIsSentAway(int streams, boolean ack) throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, ack)) {
            try {
                for (int i = 0; i < streams; i++) {
                    c.get(1 + 2 * i, "/flood?hold=1000", "limit.test");
                }
            } catch (java.io.IOException e) {
                // closed under us: expected once the resets pass Netty's limit
            }
            assertThat(c.awaitGoAwayOrClose(10_000)).isTrue();
            assertThat(c.goAwayCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(c.awaitClosed(10_000)).isTrue();
            long refused = java.util.stream.IntStream.range(0, streams).filter(i -> c.stream(1 + 2 * i).reset == REFUSED_STREAM).count();
            assertThat(refused).isGreaterThanOrEqualTo(ClientPipelines.MAX_RESETS_PER_WINDOW);
            assertThat(backend.requests()).as("backend requests from one connection").isLessThanOrEqualTo(100);
        }
    }

    static Stream<Arguments> streamFloods() {
        return Stream.of(Arguments.of(600, false), Arguments.of(600, true), Arguments.of(3000, false));
    }

    @Test
    void rapidResetsDoNotPileUpBackendRequests() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.awaitSettings();
            // HEADERS and RST_STREAM pairs in one write: each stream stops counting as active at its reset, before
            // its exchange has ended, so only the per-connection exchange limit bounds what reaches backends.
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 150; i++) {
                burst.writeBytes(RawHttp2Client.frameBytes(RawHttp2Client.HEADERS, RawHttp2Client.END_STREAM | RawHttp2Client.END_HEADERS,
                        1 + 2 * i, request("GET", "/reset?hold=500", "reset.test")));
                burst.writeBytes(RawHttp2Client.frameBytes(RawHttp2Client.RST_STREAM, 0, 1 + 2 * i, new byte[] {0, 0, 0, 8}));
            }
            c.raw(burst.toByteArray());
            // Until the reset streams' exchanges have ended (later in the event-loop turn) a new stream may be
            // refused, which the client may always retry (RFC 9113 §8.7); after that the connection serves.
            int id = 301;
            for (int tries = 0; tries < 20; tries++, id += 2) {
                c.get(id, "/after-resets", "reset.test");
                assertThat(c.awaitEnd(id, 10_000)).isTrue();
                if (c.stream(id).reset != REFUSED_STREAM) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(c.stream(id).status()).as("reset %d", c.stream(id).reset).isEqualTo(200);
            assertThat(backend.requests()).isLessThanOrEqualTo(ClientPipelines.MAX_CONCURRENT_STREAMS + 1);
        }
    }

    // --- header blocks ----------------------------------------------------------------------------------------

    @Test
    void aHeaderBlockSplitOverContinuationFramesIsServed() throws Exception {
        byte[] whole = request("GET", "/split", "split.test", "x-a", "1", "x-b", "2");
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.awaitSettings();
            int third = whole.length / 3;
            c.headers(1, java.util.Arrays.copyOfRange(whole, 0, third), true, false);
            c.continuation(1, java.util.Arrays.copyOfRange(whole, third, 2 * third), false);
            c.continuation(1, new byte[0], false);
            c.continuation(1, java.util.Arrays.copyOfRange(whole, 2 * third, whole.length), true);
            assertThat(c.awaitEnd(1, 10_000)).isTrue();
            assertThat(c.stream(1).status()).isEqualTo(200);
            assertThat(backend.next(1000)).startsWith("GET /split HTTP/1.1\r\n").contains("x-b: 2\r\n");
        }
    }

    @Test
    void anIncompleteHeaderBlockIsCutAtTheHeadDeadline() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.awaitSettings();
            // A first stream served, so only the header-block deadline can cut what follows (a connection that
            // never opens a stream is closed at the head deadline anyway, see below).
            c.get(1, "/warm", "stall.test");
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            backend.next(1000);
            long t0 = System.nanoTime();
            c.headers(3, request("GET", "/never", "stall.test"), true, false);
            assertThat(c.awaitGoAwayOrClose(HEAD_TIMEOUT.toMillis() + 3000)).isTrue();
            assertThat(c.goAwayCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(elapsedMillis(t0)).isGreaterThanOrEqualTo(HEAD_TIMEOUT.toMillis() - 100);
            assertThat(backend.next(200)).isNull();
        }
    }

    @Test
    void anEmptyContinuationTrickleDoesNotKeepAStreamOpen() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.awaitSettings();
            // A first stream served, so only the header-block deadline can cut what follows (a connection that
            // never opens a stream is closed at the head deadline anyway, see below).
            c.get(1, "/warm", "stall.test");
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            backend.next(1000);
            long t0 = System.nanoTime();
            c.headers(3, request("GET", "/trickle", "trickle.test"), true, false);
            boolean cut = false;
            // One empty CONTINUATION every 200 ms (the run that found it used 5 s and lasted 80 s and more).
            for (int i = 0; i < 50 && !cut; i++) {
                Thread.sleep(200);
                try {
                    c.continuation(3, new byte[0], false);
                } catch (java.io.IOException e) {
                    cut = true;
                }
                cut = cut || c.awaitGoAwayOrClose(1);
            }
            assertThat(cut || c.awaitGoAwayOrClose(1000)).isTrue();
            assertThat(c.goAwayCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(elapsedMillis(t0)).isLessThan(HEAD_TIMEOUT.toMillis() + 2000);
            assertThat(backend.next(200)).isNull();
        }
    }

    @Test
    void aConnectionThatNeverOpensAStreamIsClosedAtTheHeadDeadline() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            long t0 = System.nanoTime();
            assertThat(c.awaitClosed(HEAD_TIMEOUT.toMillis() + 3000)).isTrue();
            assertThat(elapsedMillis(t0)).isGreaterThanOrEqualTo(HEAD_TIMEOUT.toMillis() - 100);
            assertThat(c.goAwayCode()).as("GOAWAY before the close").isEqualTo(0L);
        }
    }

    @Test
    void aConnectionThatServedAStreamMayIdleLongerThanTheHeadDeadline() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.get(1, "/first", "idle.test");
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            assertThat(c.awaitClosed(HEAD_TIMEOUT.toMillis() + 1000)).as("still open").isFalse();
            c.get(3, "/second", "idle.test");
            assertThat(c.awaitEnd(3, 5000)).isTrue();
            assertThat(c.stream(3).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "a flood of {0}-byte CONTINUATION frames is cut by their count")
    @MethodSource("floodFragments")
    void aContinuationFloodIsCutByCount(int fragmentSize) throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.awaitSettings();
            long t0 = System.nanoTime();
            byte[] start = request("GET", "/flood", "flood.test");
            c.headers(1, start, true, false);
            // Padding bytes of a valid literal are not possible in the middle of a block, so the small fragments
            // carry an indexed field (0x82 is :method GET) repeated: each byte is a complete representation.
            byte[] fragment = new byte[fragmentSize];
            java.util.Arrays.fill(fragment, (byte) 0x82);
            try {
                for (int i = 0; i < 2000; i++) {
                    c.continuation(1, fragment, false);
                }
            } catch (java.io.IOException e) {
                // the proxy closed the connection under us: what we want
            }
            assertThat(c.awaitGoAwayOrClose(HEAD_TIMEOUT.toMillis())).isTrue();
            assertThat(c.goAwayCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(elapsedMillis(t0)).isLessThan(HEAD_TIMEOUT.toMillis());
            assertThat(backend.next(200)).isNull();
        }
    }

    static Stream<Integer> floodFragments() {
        return Stream.of(0, 1);
    }

    // --- malformed fields -------------------------------------------------------------------------------------

    /**
     * The same frames through Ballast and through HAProxy 2.6 (h2c frontend), with the same expectation: the
     * stream is reset with PROTOCOL_ERROR (or answered 400), or the connection ends with GOAWAY (HAProxy says
     * COMPRESSION_ERROR to an empty name), and nothing reaches the backend. A stream error leaves the connection
     * serving.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedFieldsOnBoth")
    void aMalformedFieldEndsItsStreamAndTheConnectionGoesOn(String target, String name, byte[] headerBlock) throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(target.equals("HAProxy") ? haproxy.port() : port, true)) {
            c.awaitSettings();
            c.headers(1, headerBlock, true, true);
            assertThat(c.awaitEnd(1, 5000) || c.awaitGoAwayOrClose(1)).as("the stream ends, never hangs").isTrue();
            if (target.equals("HAProxy") && name.contains("Host")) {
                // HAProxy 2.6 differs here: it forwards one Host (:authority wins over a different Host field; of two
                // Host fields, the first) and answers 200. Ballast follows RFC 9113 §8.3.1 (a Host naming another
                // entity than :authority is malformed) and refuses two Host fields; see CONFORMANCE.md.
                assertThat(c.stream(1).status()).isEqualTo(200);
                String forwarded = backend.next(1000);
                assertThat(headOf(forwarded).split("\r\nhost: ", -1)).hasSize(2);
                return;
            }
            RawHttp2Client.Stream s = c.stream(1);
            if (s.ended.getCount() == 0) {
                assertThat(s.reset == PROTOCOL_ERROR || s.status() == 400)
                        .as("RST_STREAM PROTOCOL_ERROR or 400, was reset=%d status=%d", s.reset, s.status()).isTrue();
                // A stream error leaves the connection usable.
                c.get(3, "/next", "ok.test");
                assertThat(c.awaitEnd(3, 5000)).isTrue();
                assertThat(c.stream(3).status()).isEqualTo(200);
                assertThat(backend.next(1000)).startsWith("GET /next ");
            } else {
                assertThat(c.goAwayCode()).isIn(PROTOCOL_ERROR, COMPRESSION_ERROR);
            }
            assertThat(backend.next(200)).as("nothing malformed reaches the backend").isNull();
        }
    }

    static Stream<Arguments> malformedFieldsOnBoth() {
        return Stream.of("Ballast", "HAProxy").flatMap(t -> malformedFields().map(a -> Arguments.of(t, a.get()[0], a.get()[1])));
    }

    static Stream<Arguments> malformedFields() {
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("CR in a value", request("GET", "/", "bad.test", "x-a", "one\rtwo")));
        c.add(Arguments.of("LF in a value", request("GET", "/", "bad.test", "x-a", "one\ntwo")));
        c.add(Arguments.of("CRLF and a smuggled field in a value", request("GET", "/", "bad.test", "x-a", "one\r\nx-injected: yes")));
        c.add(Arguments.of("NUL in a value", request("GET", "/", "bad.test", "x-a", "one\0two")));
        c.add(Arguments.of("CR in the :path", request("GET", "/a\r\nx: y", "bad.test")));
        c.add(Arguments.of("LF in :authority", request("GET", "/", "bad.test\nx")));
        c.add(Arguments.of("colon in a name", request("GET", "/", "bad.test", "x:a", "1")));
        c.add(Arguments.of("upper-case name", request("GET", "/", "bad.test", "X-Upper", "1")));
        c.add(Arguments.of("mixed-case name", request("GET", "/", "bad.test", "x-mIxed", "1")));
        c.add(Arguments.of("space in a name", request("GET", "/", "bad.test", "x a", "1")));
        c.add(Arguments.of("empty name", request("GET", "/", "bad.test", "", "1")));
        c.add(Arguments.of("NUL in a name", request("GET", "/", "bad.test", "x\0a", "1")));
        c.add(Arguments.of("connection-specific field", request("GET", "/", "bad.test", "connection", "keep-alive")));
        c.add(Arguments.of("transfer-encoding", request("GET", "/", "bad.test", "transfer-encoding", "chunked")));
        c.add(Arguments.of("TE other than trailers", request("GET", "/", "bad.test", "te", "gzip")));
        c.add(Arguments.of("unknown pseudo-header", request("GET", "/", "bad.test", ":evil", "1")));
        c.add(Arguments.of("pseudo-header after a regular field",
                block(":method", "GET", ":scheme", "http", "x-a", "1", ":path", "/", ":authority", "bad.test")));
        c.add(Arguments.of("no :path", block(":method", "GET", ":scheme", "http", ":authority", "bad.test")));
        c.add(Arguments.of("Host that differs from :authority", request("GET", "/", "bad.test", "host", "other.test")));
        c.add(Arguments.of("two Host fields", request("GET", "/", null, "host", "a.test", "host", "b.test")));
        c.add(Arguments.of("duplicate :path", block(":method", "GET", ":scheme", "http", ":path", "/", ":path", "/x",
                ":authority", "bad.test")));
        return c.stream();
    }

    // --- bodies and authority ---------------------------------------------------------------------------------

    @Test
    void aBodyWithoutContentLengthReachesTheBackendChunked() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.headers(1, request("POST", "/upload", "body.test", "content-type", "text/plain"), false, true);
            c.data(1, "hello ".getBytes(StandardCharsets.US_ASCII), false);
            c.data(1, "world".getBytes(StandardCharsets.US_ASCII), true);
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            assertThat(c.stream(1).status()).isEqualTo(200);
            String got = backend.next(1000);
            assertThat(got).startsWith("POST /upload HTTP/1.1\r\n");
            assertThat(headOf(got)).contains("transfer-encoding: chunked\r\n").doesNotContain("content-length");
            assertThat(dechunk(got)).isEqualTo("hello world");
        }
    }

    @Test
    void aBodyInOneFinalDataFrameReachesTheBackend() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.headers(1, request("PUT", "/one", "body.test"), false, true);
            c.data(1, "x".repeat(16_000).getBytes(StandardCharsets.US_ASCII), true);
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            assertThat(c.stream(1).status()).isEqualTo(200);
            assertThat(dechunk(backend.next(1000))).isEqualTo("x".repeat(16_000));
        }
    }

    @Test
    void anEmptyFinalDataFrameIsAnEmptyBody() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.headers(1, request("POST", "/empty", "body.test"), false, true);
            c.data(1, new byte[0], true);
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            assertThat(c.stream(1).status()).isEqualTo(200);
            String got = backend.next(1000);
            assertThat(got).startsWith("POST /empty HTTP/1.1\r\n");
            assertThat(dechunk(got)).isEmpty();
        }
    }

    @Test
    void trailersEndTheStreamAndReachTheBackend() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.headers(1, request("POST", "/trailers", "body.test", "te", "trailers"), false, true);
            c.data(1, "abc".getBytes(StandardCharsets.US_ASCII), false);
            c.headers(1, block("x-checksum", "900150983cd24fb0"), true, true);
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            assertThat(c.stream(1).status()).isEqualTo(200);
            String got = backend.next(1000);
            assertThat(dechunk(got)).isEqualTo("abc");
            assertThat(got).endsWith("0\r\nx-checksum: 900150983cd24fb0\r\n\r\n");
        }
    }

    /**
     * Malformed trailers arrive after the head (and part of the body) went to the backend: the stream is reset,
     * the half-sent backend request is cut rather than completed, and the exchange releases what it held.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTrailers")
    void malformedTrailersResetTheStreamAndCutTheBackendRequest(String name, byte[] trailers) throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.headers(1, request("POST", "/bad-trailers", "body.test"), false, true);
            c.data(1, "abc".getBytes(StandardCharsets.US_ASCII), false);
            c.headers(1, trailers, true, true);
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            assertThat(c.stream(1).reset).isEqualTo(PROTOCOL_ERROR);
            assertThat(backend.next(500)).as("no complete request reaches the backend").isNull();
            c.get(3, "/next", "ok.test");
            assertThat(c.awaitEnd(3, 5000)).isTrue();
            assertThat(c.stream(3).status()).isEqualTo(200);
        }
    }

    static Stream<Arguments> malformedTrailers() {
        return Stream.of(
                Arguments.of("pseudo-header in trailers", block(":path", "/other")),
                Arguments.of("CR in a trailer value", block("x-sum", "1\r2")),
                Arguments.of("NUL in a trailer value", block("x-sum", "1\u00002")),
                Arguments.of("upper-case trailer name", block("X-Sum", "1")),
                Arguments.of("connection-specific trailer", block("connection", "close")));
    }

    @Test
    void aBodyWithAContentLengthIsForwardedAsIs() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.headers(1, request("POST", "/sized", "body.test", "content-length", "5"), false, true);
            c.data(1, "12345".getBytes(StandardCharsets.US_ASCII), true);
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            assertThat(c.stream(1).status()).isEqualTo(200);
            String got = backend.next(1000);
            assertThat(headOf(got)).contains("content-length: 5\r\n").doesNotContain("transfer-encoding");
            assertThat(got).endsWith("\r\n\r\n12345");
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsRefused() throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.headers(1, request("POST", "/short", "body.test", "content-length", "10"), false, true);
            c.data(1, "12345".getBytes(StandardCharsets.US_ASCII), true);
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            RawHttp2Client.Stream s = c.stream(1);
            assertThat(s.reset == PROTOCOL_ERROR || s.status() == 400).as("reset=%d status=%d", s.reset, s.status()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authorities")
    void theAuthorityIsTheBackendsHost(String name, byte[] headerBlock, String expectedHost) throws Exception {
        try (RawHttp2Client c = new RawHttp2Client(port, true)) {
            c.headers(1, headerBlock, true, true);
            assertThat(c.awaitEnd(1, 5000)).isTrue();
            assertThat(c.stream(1).status()).isEqualTo(200);
            String head = headOf(backend.next(1000));
            assertThat(head).contains("host: " + expectedHost + "\r\n");
            assertThat(head.split("\r\nhost: ", -1)).as("exactly one Host").hasSize(2);
            assertThat(head).doesNotContain("x-http2-").doesNotContain(":authority");
        }
    }

    static Stream<Arguments> authorities() {
        return Stream.of(
                Arguments.of(":authority only", request("GET", "/a", "shop.example.com"), "shop.example.com"),
                Arguments.of(":authority with a port", request("GET", "/a", "shop.example.com:8443"), "shop.example.com:8443"),
                Arguments.of("host field only", request("GET", "/a", null, "host", "legacy.example.com"), "legacy.example.com"),
                Arguments.of(":authority and the same host", request("GET", "/a", "shop.example.com", "host", "shop.example.com"),
                        "shop.example.com"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static long elapsedMillis(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static String headOf(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        return (end < 0 ? raw : raw.substring(0, end + 2)).toLowerCase(Locale.ROOT);
    }

    /** The body of a recorded request: chunked framing undone, or what follows the head. */
    private static String dechunk(String raw) {
        int at = raw.indexOf("\r\n\r\n") + 4;
        if (!headOf(raw).contains("transfer-encoding: chunked")) {
            return raw.substring(at);
        }
        StringBuilder body = new StringBuilder();
        while (true) {
            int eol = raw.indexOf("\r\n", at);
            int size = Integer.parseInt(raw.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(raw, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
