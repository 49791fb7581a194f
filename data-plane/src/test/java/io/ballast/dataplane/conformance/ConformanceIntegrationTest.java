package io.ballast.dataplane.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.InFlight;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protocol conformance harness of TESTING.md: a raw-socket client sends exact bytes to the proxy, a scripted
 * raw backend records exactly what arrived and answers exact bytes. Cases marked {@code sameAsHaproxy} are also
 * sent through Debian's HAProxy in front of the same backend, and must meet the same expectation there; where
 * Ballast differs on purpose, data-plane/CONFORMANCE.md says how and why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceIntegrationTest {
    private static final String CLOSE = "Connection: close\r\n";
    private static final long HEAD_TIMEOUT_MS = 1500;

    private Path dir;
    private RawBackend backend;
    private DataPlane dp;
    private Haproxy haproxy;

    /**
     * A raw exchange, and what must hold of the client's answer and of what the backend received (null: nothing),
     * through Ballast and, when {@code haproxy} is not null, what must hold through HAProxy.
     */
    record Case(String name, String request, String backendAnswer, Check check, Check haproxy, int maxForwarded) {
        Case(String name, String request, String backendAnswer, boolean sameAsHaproxy, Check check) {
            this(name, request, backendAnswer, check, sameAsHaproxy ? check : null, 1);
        }

        /** HAProxy 2.6 does something else with these bytes: what it does (CONFORMANCE.md says why). */
        Case haproxyDiffers(Check whatHaproxyDoes) {
            return new Case(name, request, backendAnswer, check, whatHaproxyDoes, maxForwarded);
        }

        /** More than one request may legitimately reach the backend (pipelined requests). */
        Case forwardsAtMost(int requests) {
            return new Case(name, request, backendAnswer, check, haproxy, requests);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Check {
        void verify(String answer, String forwarded);
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("conformance");
        backend = new RawBackend();
        dp = backend.startProxy(dir, "conformance", Duration.ofMillis(HEAD_TIMEOUT_MS));
        haproxy = Haproxy.start(dir, backend.port());
    }

    @AfterAll
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        dp.close().await(30, TimeUnit.SECONDS);
        backend.close();
    }

    private static String get(String extraHeaders) {
        return "GET /c HTTP/1.1\r\nHost: example.test\r\n" + extraHeaders + CLOSE + "\r\n";
    }

    private static String post(String framingHeaders, String body) {
        return "POST /c HTTP/1.1\r\nHost: example.test\r\n" + framingHeaders + CLOSE + "\r\n" + body;
    }

    /** Status lines at the start of a line (a problem's detail may mention "HTTP/1.1"). */
    static long answers(String raw) {
        return java.util.regex.Pattern.compile("(?m)^HTTP/1\\.[01] \\d{3} ").matcher(raw).results().count();
    }

    static String headOf(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        return end < 0 ? raw : raw.substring(0, end + 2);
    }

    /**
     * What HAProxy 2.6 does where Ballast refuses: {@code forwards} (the request reaches the backend and is answered;
     * a hidden request only ever as body bytes, which {@link #run} checks) or {@code refuses} (a 4xx, nothing
     * forwarded beyond the head).
     */
    private static Check haproxyForwards(String what) {
        if (what.equals("forwards")) {
            return (a, f) -> {
                assertThat(f).as("forwarded").isNotNull();
                assertThat(RawClient.status(a)).isEqualTo(200);
            };
        }
        return (a, f) -> assertThat(RawClient.status(a)).isBetween(400, 499);
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        String ok = new String(RawBackend.OK, StandardCharsets.ISO_8859_1);
        // --- baseline -----------------------------------------------------------------------------------------
        c.add(new Case("plain GET is forwarded", get(""), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(200);
            assertThat(f).startsWith("GET /c HTTP/1.1\r\n");
        }));
        c.add(new Case("absolute-form target is forwarded in origin form", "GET http://example.test/c?q=1 HTTP/1.1\r\nHost: example.test\r\n" + CLOSE + "\r\n",
                ok, true, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(f).startsWith("GET /c?q=1 HTTP/1.1\r\n");
                }).haproxyDiffers((a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(f).startsWith("GET http://example.test/c?q=1 HTTP/1.1\r\n");
                }));
        c.add(new Case("Host is preserved", get(""), ok, true, (a, f) -> assertThat(headOf(f)).containsIgnoringCase("host: example.test\r\n")));
        c.add(new Case("HTTP/1.0 without Host is served", "GET /c HTTP/1.0\r\n\r\n", ok, true,
                (a, f) -> assertThat(RawClient.status(a)).isEqualTo(200)));
        // --- request framing and smuggling -------------------------------------------------------------------
        c.add(new Case("TE and CL together: never both forwarded (CL.TE smuggling)",
                post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"), ok, true, (a, f) -> {
                    if (f != null) {
                        assertThat(headOf(f).toLowerCase()).doesNotContain("content-length: 4");
                        assertThat(f).doesNotContain("GET /smuggled");
                    }
                }));
        c.add(new Case("TE and CL together (TE.CL): the chunked body wins, trailing bytes are not a request",
                post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "5\r\nhello\r\n0\r\n\r\n"), ok, true, (a, f) -> {
                    if (f != null) {
                        assertThat(headOf(f).toLowerCase()).doesNotContain("content-length: 3");
                    }
                }));
        c.add(new Case("two different Content-Length values: 400, nothing forwarded",
                post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), ok, true, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(400);
                    assertThat(f).isNull();
                }));
        c.add(new Case("Content-Length list with different values: 400", post("Content-Length: 5, 6\r\n", "hello!"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        c.add(new Case("non-numeric Content-Length: 400", post("Content-Length: abc\r\n", "hello"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        c.add(new Case("negative Content-Length: 400", post("Content-Length: -1\r\n", "hello"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        c.add(new Case("signed Content-Length (+5): 400", post("Content-Length: +5\r\n", "hello"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        c.add(new Case("obfuscated TE 'xchunked': not treated as chunked, nothing smuggled",
                post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n"), ok, true, (a, f) -> {
                    assertThat(RawClient.status(a)).isIn(400, 501);
                    assertThat(f).isNull();
                }));
        c.add(new Case("'gzip, chunked' (a coding the proxy does not decode): 400, nothing forwarded",
                post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), ok, false, (a, f) -> {
                    assertThat(RawClient.status(a)).isIn(400, 501);
                    assertThat(f).isNull();
                }).haproxyDiffers((a, f) -> {
                    assertThat(RawClient.status(a)).isGreaterThanOrEqualTo(400);
                    assertThat(f).isNull();
                }));
        c.add(new Case("Transfer-Encoding in an HTTP/1.0 request: 400, nothing forwarded",
                "POST /c HTTP/1.0\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.0\r\n\r\n", ok, false,
                (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(400);
                    assertThat(f).isNull();
                }).haproxyDiffers((a, f) -> {
                    assertThat(f).startsWith("POST /c HTTP/1.0\r\n").doesNotContain("GET /smuggled");
                }));
        c.add(new Case("space before the colon: 400", post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        c.add(new Case("'chunked, chunked': chunked applied twice is refused or framed once, never smuggles",
                post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n"), ok, true, (a, f) -> {
                    if (f != null) {
                        assertThat(f).doesNotContain("GET /smuggled");
                    }
                }));
        c.add(new Case("obs-fold continuation line: unfolded to a space before forwarding (RFC 9112 §5.2)",
                "GET /c HTTP/1.1\r\nHost: example.test\r\nX-Folded: a\r\n b\r\n" + CLOSE + "\r\n", ok, true, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(headOf(f)).doesNotContain("\r\n ").containsPattern("(?i)x-folded: a +b\r\n");
                }));
        c.add(new Case("bare LF line endings: 400, nothing forwarded", "GET /c HTTP/1.1\nHost: example.test\nConnection: close\n\n", ok, false,
                (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(400);
                    assertThat(f).isNull();
                }).haproxyDiffers((a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(f.replace("\r\n", "")).doesNotContain("\n");
                }));
        c.add(new Case("NUL in a header value: 400", get("X-Bad: a\u0000b\r\n"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }).haproxyDiffers((a, f) -> assertThat(RawClient.status(a)).isEqualTo(200)));
        c.add(new Case("invalid character in a header name: 400", get("X(Bad): 1\r\n"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        c.add(new Case("chunked request body is forwarded intact", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), ok, true,
                (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(f).contains("hello");
                }));
        c.add(new Case("Content-Length body is forwarded intact", post("Content-Length: 5\r\n", "hello"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(200);
            assertThat(headOf(f).toLowerCase()).contains("content-length: 5");
            assertThat(f).endsWith("hello");
        }));
        c.add(new Case("Expect: 100-continue gets 100 then the answer", post("Content-Length: 5\r\nExpect: 100-continue\r\n", "hello"), ok, false,
                (a, f) -> {
                    assertThat(a).startsWith("HTTP/1.1 100 Continue\r\n");
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(headOf(f).toLowerCase()).doesNotContain("expect:");
                }).haproxyDiffers((a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(headOf(f).toLowerCase()).contains("expect: 100-continue");
                }));
        // --- Host --------------------------------------------------------------------------------------------
        c.add(new Case("HTTP/1.1 without Host: 400", "GET /c HTTP/1.1\r\n" + CLOSE + "\r\n", ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }).haproxyDiffers((a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(200);
            assertThat(f).startsWith("GET /c HTTP/1.1\r\n");
        }));
        c.add(new Case("two Host headers: 400", get("Host: evil.test\r\n"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        // --- hop-by-hop, both directions (RFC 9110 §7.6.1) -----------------------------------------------------
        c.add(new Case("fields named in Connection are removed on the way in", get("X-Secret: 1\r\nConnection: X-Secret\r\n"), ok, true,
                (a, f) -> assertThat(headOf(f).toLowerCase()).doesNotContain("x-secret")).haproxyDiffers((a, f) -> assertThat(headOf(f).toLowerCase()).contains("x-secret: 1\r\n")));
        c.add(new Case("standard hop-by-hop request fields are removed",
                get("Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\nUpgrade: foo/1\r\nProxy-Authorization: Basic eA==\r\n"), ok, false,
                (a, f) -> assertThat(headOf(f).toLowerCase()).doesNotContain("keep-alive:", "te:", "proxy-connection", "upgrade:",
                        "proxy-authorization")));
        c.add(new Case("fields named in Connection are removed on the way out", get(""),
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close, X-Internal\r\nX-Internal: secret\r\nKeep-Alive: timeout=1\r\n\r\nok",
                true, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(headOf(a).toLowerCase()).doesNotContain("x-internal", "keep-alive:");
                }).haproxyDiffers((a, f) -> assertThat(headOf(a).toLowerCase()).contains("x-internal: secret\r\n", "keep-alive: timeout=1\r\n")));
        c.add(new Case("Upgrade: h2c is refused: no 101, no Upgrade forwarded",
                get("Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"), ok, true, (a, f) -> {
                    assertThat(a).doesNotStartWith("HTTP/1.1 101");
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(headOf(f).toLowerCase()).doesNotContain("upgrade", "http2-settings");
                }).haproxyDiffers((a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(headOf(f).toLowerCase()).contains("upgrade: h2c\r\n", "http2-settings:");
                }));
        c.add(new Case("WebSocket: no tunnel without a real 101 from the backend",
                get("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"),
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno", true, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(a).doesNotContain("HTTP/1.1 101"); // a status line: a random X-Request-Id may hold "101"
                }));
        // --- forwarding headers ----------------------------------------------------------------------------------
        c.add(new Case("client X-Forwarded-For is replaced (client not a trusted proxy)", get("X-Forwarded-For: 6.6.6.6\r\n"), ok, false,
                (a, f) -> {
                    assertThat(headOf(f)).containsIgnoringCase("x-forwarded-for: 127.0.0.1\r\n");
                    assertThat(f).doesNotContain("6.6.6.6");
                }).haproxyDiffers((a, f) -> assertThat(headOf(f))
                        .containsIgnoringCase("x-forwarded-for: 6.6.6.6\r\n").containsIgnoringCase("x-forwarded-for: 127.0.0.1\r\n")));
        c.add(new Case("client Forwarded is replaced", get("Forwarded: for=6.6.6.6\r\n"), ok, false, (a, f) -> {
            assertThat(headOf(f)).containsIgnoringCase("forwarded: for=127.0.0.1;proto=http;host=\"example.test\"\r\n");
            assertThat(f).doesNotContain("6.6.6.6");
        }));
        c.add(new Case("client X-Forwarded-Proto is replaced", get("X-Forwarded-Proto: https\r\n"), ok, false,
                (a, f) -> assertThat(headOf(f)).containsIgnoringCase("x-forwarded-proto: http\r\n").doesNotContainIgnoringCase("proto: https")));
        c.add(new Case("X-Forwarded-Host carries the client's Host", get(""), ok, false,
                (a, f) -> assertThat(headOf(f)).containsIgnoringCase("x-forwarded-host: example.test\r\n")));
        c.add(new Case("Via is added towards the backend", get("Via: 1.1 upstream-cdn\r\n"), ok, false,
                (a, f) -> assertThat(headOf(f)).containsIgnoringCase("via: 1.1 upstream-cdn, 1.1 ballast\r\n")));
        c.add(new Case("Via is added towards the client", get(""), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nVia: 1.1 app\r\n\r\nok", false,
                (a, f) -> assertThat(headOf(a)).containsIgnoringCase("via: 1.1 app, 1.1 ballast\r\n")));
        c.add(new Case("X-Request-Id is generated when absent and returned", get(""), ok, false, (a, f) -> {
            assertThat(headOf(f)).containsPattern("(?i)x-request-id: [0-9a-f]{32}\r\n");
            String sent = headOf(f).replaceAll("(?is).*x-request-id: ([0-9a-f]{32}).*", "$1");
            assertThat(headOf(a)).containsIgnoringCase("x-request-id: " + sent);
        }));
        c.add(new Case("X-Request-Id from the client is kept", get("X-Request-Id: abc-123\r\n"), ok, true,
                (a, f) -> assertThat(headOf(f)).containsIgnoringCase("x-request-id: abc-123\r\n")));
        c.add(new Case("an X-Request-Id with spaces is replaced", get("X-Request-Id: a b\r\n"), ok, false,
                (a, f) -> assertThat(headOf(f)).containsPattern("(?i)x-request-id: [0-9a-f]{32}\r\n")));
        // --- limits -------------------------------------------------------------------------------------------------
        c.add(new Case("request line over the limit: 414", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: example.test\r\n" + CLOSE + "\r\n", ok, true,
                (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(414);
                    assertThat(f).isNull();
                }).haproxyDiffers((a, f) -> assertThat(RawClient.status(a)).isEqualTo(200)));
        c.add(new Case("header section over the limit: 431", get("X-Big: " + "b".repeat(20_000) + "\r\n"), ok, false, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(431);
            assertThat(f).isNull();
        }).haproxyDiffers((a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        c.add(new Case("more header fields than allowed: 431", get("X-Many: 1\r\n".repeat(150)), ok, false, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(431);
            assertThat(f).isNull();
        }).haproxyDiffers((a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        // --- broken backends ---------------------------------------------------------------------------------------
        c.add(new Case("backend closes without answering: 502", get(""), "", true, (a, f) -> assertThat(RawClient.status(a)).isEqualTo(502)));
        c.add(new Case("backend sends garbage instead of a status line: 502", get(""), "HELLO THERE\r\n\r\n", true,
                (a, f) -> assertThat(RawClient.status(a)).isEqualTo(502)));
        c.add(new Case("backend sends a bad Content-Length: 502", get(""), "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nok", true,
                (a, f) -> assertThat(RawClient.status(a)).isEqualTo(502)));
        c.add(new Case("backend closes mid-body: the client sees the body cut, not a complete response", get(""),
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-ten!!", true, (a, f) -> {
                    String body = a.substring(a.indexOf("\r\n\r\n") + 4);
                    assertThat(body.length()).isLessThan(100);
                }));
        c.add(new Case("backend chunked response with trailers reaches the client with its trailers", get("TE: trailers\r\n"),
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n2\r\nok\r\n0\r\nX-Checksum: 42\r\n\r\n", true, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(a).containsIgnoringCase("2\r\nok\r\n0\r\nx-checksum: 42\r\n\r\n");
                }));
        // --- chunk sizes (issue 15): Netty's parser wraps past 32 bits; a wrapped size hides a request in chunk data ---
        String hidden = "GET /smuggled HTTP/1.1\r\nHost: example.test\r\n\r\n";
        for (String[] spelling : new String[][] {
            {"2^32 wraps to 0 (the last chunk)", "100000000\r\n\r\n" + hidden, "forwards"},
            {"0x1_0000_0005 wraps to 5", "1000000005\r\nhello\r\n0\r\n\r\n" + hidden, "forwards"},
            {"nine f's", "fffffffff\r\n" + hidden, "forwards"},
            {"seventeen digits", "10000000000000005\r\nhello\r\n0\r\n\r\n" + hidden, "refuses"},
            {"2^31: more than a chunk can be", "80000000\r\n" + hidden, "forwards"},
            {"2^32 with leading zeros", "000100000000\r\n\r\n" + hidden, "forwards"},
            {"nineteen digits, all but one leading zeros", "0000000000000000005\r\nhello\r\n0\r\n\r\n", "forwards"},
        }) {
            c.add(new Case("chunk size too long or too large (" + spelling[0] + "): 400, nothing hidden reaches the backend",
                    post("Transfer-Encoding: chunked\r\n", spelling[1]), ok, false, (a, f) -> {
                        assertThat(RawClient.status(a)).isEqualTo(400);
                        assertThat(headOf(a)).containsIgnoringCase("content-type: application/problem+json");
                    }).haproxyDiffers(haproxyForwards(spelling[2])));
        }
        for (String[] spelling : new String[][] {
            {"a chunk longer than declared", "5\r\nhelloXX\r\n0\r\n\r\n", "refuses"},
            {"no CRLF after the chunk data", "5\r\nhello0\r\n\r\n", "refuses"},
            {"a bare CR after the chunk data", "5\r\nhello\r0\r\n\r\n", "refuses"},
            {"a bare LF after the size", "5\nhello\r\n0\r\n\r\n", "forwards"},
            {"a size that is not hex", "zz\r\nhello\r\n0\r\n\r\n", "refuses"},
            {"a negative size", "-5\r\nhello\r\n0\r\n\r\n", "refuses"},
            {"whitespace before the size", " 5\r\nhello\r\n0\r\n\r\n", "refuses"},
            {"junk after the size", "5 junk\r\nhello\r\n0\r\n\r\n", "refuses"},
            {"an empty size line", "\r\nhello\r\n0\r\n\r\n", "refuses"},
            {"a 0x size prefix", "0x5\r\nhello\r\n0\r\n\r\n", "refuses"},
            {"a control character in an extension", "5;a=\u0001\r\nhello\r\n0\r\n\r\n", "forwards"},
        }) {
            c.add(new Case("malformed chunked body (" + spelling[0] + "): 400 with a problem, not a close",
                    post("Transfer-Encoding: chunked\r\n", spelling[1]), ok, false, (a, f) -> {
                        assertThat(RawClient.status(a)).isEqualTo(400);
                        assertThat(a).contains("\"status\":400");
                    }).haproxyDiffers(haproxyForwards(spelling[2])));
        }
        c.add(new Case("chunk extensions and uppercase hex are framed and forwarded",
                post("Transfer-Encoding: chunked\r\n", "A;name=\"v\";x\r\n0123456789\r\n5 ;y\r\nhello\r\n0\r\n\r\n"), ok, true, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(f.substring(f.indexOf("\r\n\r\n"))).contains("0123456789").contains("hello").doesNotContain("name=");
                }));
        c.add(new Case("chunked body with trailers is forwarded", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"), ok, true,
                (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(f).contains("hello");
                }));
        // --- Transfer-Encoding with Content-Length: answer, then close (RFC 9112 §6.1) ---------------------------
        String second = "GET /smuggled-second HTTP/1.1\r\nHost: example.test\r\n\r\n";
        for (String[] spelling : new String[][] {
            {"TE before CL", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"},
            {"CL before TE", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"},
            {"CL: 0", "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n"},
            {"lower-case names", "transfer-encoding: chunked\r\ncontent-length: 5\r\n"},
            {"CL larger than the body", "Transfer-Encoding: chunked\r\nContent-Length: 100\r\n"},
        }) {
            c.add(new Case("TE and CL together (" + spelling[0] + "): one answer, then close; the bytes after are not a request",
                    "POST /c HTTP/1.1\r\nHost: example.test\r\n" + spelling[1] + "\r\n5\r\nhello\r\n0\r\n\r\n" + second,
                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true, (a, f) -> {
                        assertThat(RawClient.status(a)).isEqualTo(200);
                        assertThat(answers(a)).as("answers").isEqualTo(1);
                        assertThat(headOf(f).toLowerCase()).doesNotContain("content-length");
                        assertThat(f).contains("hello");
                    }));
        }
        c.add(new Case("HTTP/1.0 with two Content-Length fields (0, then 46): 400, the bytes after are not a request",
                "POST /c HTTP/1.0\r\nHost: example.test\r\nConnection: keep-alive\r\nContent-Length: 0\r\nContent-Length: 46\r\n\r\n" + hidden, ok, true,
                (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(400);
                    assertThat(f).isNull();
                }));
        c.add(new Case("a request pipelined behind a refused one (no Host) is not served",
                "GET /c HTTP/1.1\r\n\r\nGET /second HTTP/1.1\r\nHost: example.test\r\n\r\n", ok, false, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(400);
                    assertThat(answers(a)).as("answers").isEqualTo(1);
                    assertThat(f).isNull();
                }).haproxyDiffers((a, f) -> assertThat(f).startsWith("GET /c HTTP/1.1\r\n")).forwardsAtMost(2));
        // --- request heads Netty lets through (issue 15) ---------------------------------------------------------
        c.add(new Case("empty header name: 400", get(": value\r\n"), ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        c.add(new Case("empty header name after a space: 400", get(" : value\r\n"), ok, false, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }).haproxyDiffers(haproxyForwards("forwards")));
        for (String[] spelling : new String[][] {
            {"SOH", "/a\u0001b", "refuses"}, {"DEL", "/a\u007fb", "forwards"}, {"NUL", "/a\u0000b", "refuses"},
            {"ESC", "/\u001b[1m", "refuses"}, {"non-ASCII", "/caf\u00e9", "refuses"}, {"HTAB", "/a\tb", "refuses"},
            {"VT", "/a\u000bb", "refuses"}, {"bare CR", "/a\rb", "refuses"},
        }) {
            c.add(new Case("control character in the request target (" + spelling[0] + "): 400",
                    "GET " + spelling[1] + " HTTP/1.1\r\nHost: example.test\r\n" + CLOSE + "\r\n", ok, false, (a, f) -> {
                        assertThat(RawClient.status(a)).isEqualTo(400);
                        assertThat(f).isNull();
                    }).haproxyDiffers(haproxyForwards(spelling[2])));
        }
        for (String[] spelling : new String[][] {
            {"a comma", "example.test, evil.test", "forwards"}, {"a space", "example.test evil.test", "forwards"},
            {"a slash", "example.test/evil", "forwards"}, {"userinfo", "user@example.test", "forwards"},
            {"a bad port", "example.test:80x", "forwards"}, {"an unclosed IPv6 literal", "[::1", "forwards"},
            {"a backslash", "example.test\\evil", "forwards"}, {"a percent-encoding", "example%2etest", "forwards"},
        }) {
            c.add(new Case("invalid Host (" + spelling[0] + "): 400", "GET /c HTTP/1.1\r\nHost: " + spelling[1] + "\r\n" + CLOSE + "\r\n", ok, false,
                    (a, f) -> {
                        assertThat(RawClient.status(a)).isEqualTo(400);
                        assertThat(f).isNull();
                    }).haproxyDiffers(haproxyForwards(spelling[2])));
        }
        c.add(new Case("Host with a port and an IPv6 literal Host are valid", get("").replace("Host: example.test", "Host: example.test:8080"), ok, true,
                (a, f) -> assertThat(RawClient.status(a)).isEqualTo(200)));
        c.add(new Case("IPv6 literal Host is valid", get("").replace("Host: example.test", "Host: [::1]:8080"), ok, true,
                (a, f) -> assertThat(RawClient.status(a)).isEqualTo(200)));
        for (String[] spelling : new String[][] {
            {"another host", "http://evil.test/c", "refuses"}, {"another port", "http://example.test:8080/c", "refuses"},
            {"userinfo", "http://user@example.test/c", "forwards"}, {"a scheme that is not http", "ftp://example.test/c", "forwards"},
            {"no authority", "http:///c", "forwards"},
        }) {
            c.add(new Case("absolute-form target with " + spelling[0] + " than Host: 400",
                    "GET " + spelling[1] + " HTTP/1.1\r\nHost: example.test\r\n" + CLOSE + "\r\n", ok, false, (a, f) -> {
                        assertThat(RawClient.status(a)).isEqualTo(400);
                        assertThat(f).isNull();
                    }).haproxyDiffers(haproxyForwards(spelling[2])));
        }
        c.add(new Case("absolute-form target naming Host with its default port and other case is forwarded",
                "GET http://EXAMPLE.test:80/c HTTP/1.1\r\nHost: example.test\r\n" + CLOSE + "\r\n", ok, false,
                (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(200);
                    assertThat(f).startsWith("GET /c HTTP/1.1\r\n");
                }));
        c.add(new Case("a target in neither origin nor absolute form: 400", "GET example.test/c HTTP/1.1\r\nHost: example.test\r\n" + CLOSE + "\r\n",
                ok, false, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(400);
                    assertThat(f).isNull();
                }).haproxyDiffers(haproxyForwards("forwards")));
        c.add(new Case("lower-case HTTP-name (http/1.1): 400", "GET /c http/1.1\r\nHost: example.test\r\n" + CLOSE + "\r\n", ok, true, (a, f) -> {
            assertThat(RawClient.status(a)).isEqualTo(400);
            assertThat(f).isNull();
        }));
        for (String version : new String[] {"HTTP/1.2", "HTTP/1.9", "HTTP/2.0", "HTTP/3.0", "HTTP/0.9"}) {
            c.add(new Case(version + ": 505 in HTTP/1.1, not a silent close", "GET /c " + version + "\r\nHost: example.test\r\n" + CLOSE + "\r\n", ok, false,
                    (a, f) -> {
                        assertThat(a).startsWith("HTTP/1.1 505 ");
                        assertThat(headOf(a)).containsIgnoringCase("content-type: application/problem+json");
                        assertThat(f).isNull();
                    }).haproxyDiffers(haproxyForwards("forwards")));
        }
        // --- a backend that switches protocols unasked --------------------------------------------------------
        c.add(new Case("backend answers 101 to a request that did not ask to upgrade: 502", get(""),
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nraw bytes", true, (a, f) -> {
                    assertThat(RawClient.status(a)).isEqualTo(502);
                    assertThat(a).doesNotContain("raw bytes");
                }));
        c.add(new Case("backend answers 101 (h2c) to a plain GET: 502", get(""),
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n", true,
                (a, f) -> assertThat(RawClient.status(a)).isEqualTo(502)));
        // --- limits: the answer arrives before a lingering close, whatever the size --------------------------------
        for (int kib : new int[] {17, 40, 100, 1024}) {
            c.add(new Case("a " + kib + " KiB header section: 431 with a problem, read before the close",
                    get("X-Big: " + "b".repeat(kib * 1024) + "\r\n"), ok, false, (a, f) -> {
                        assertThat(a).startsWith("HTTP/1.1 431 ");
                        assertThat(a).contains("\"status\":431");
                        assertThat(f).isNull();
                    }).haproxyDiffers((a, f) -> {
                        assertThat(RawClient.status(a)).isEqualTo(400);
                        assertThat(f).isNull();
                    }));
        }
        c.add(new Case("a header section of many fields over the size limit: 431", get(("X-Field: " + "v".repeat(300) + "\r\n").repeat(60)), ok, false,
                (a, f) -> {
                    assertThat(a).startsWith("HTTP/1.1 431 ");
                    assertThat(f).isNull();
                }).haproxyDiffers((a, f) -> assertThat(RawClient.status(a)).isEqualTo(400)));
        c.add(new Case("request line over the limit: 414 says HTTP/1.1 and carries a problem",
                "GET /" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: example.test\r\n" + CLOSE + "\r\n", ok, false, (a, f) -> {
                    assertThat(a).startsWith("HTTP/1.1 414 ");
                    assertThat(a).contains("\"status\":414");
                }).haproxyDiffers((a, f) -> assertThat(RawClient.status(a)).isEqualTo(200)));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ballast(Case c) throws Exception {
        run(c, DataPlaneFixture.proxyPort(dp));
    }

    @ParameterizedTest(name = "haproxy: {0}")
    @MethodSource("withHaproxyReference")
    void haproxy(Case c) throws Exception {
        run(c, haproxy.port(), c.haproxy());
    }

    Stream<Case> withHaproxyReference() {
        return cases().filter(c -> c.haproxy() != null);
    }

    @Test
    void thereAreAtLeastFortyCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(40);
    }

    private void run(Case c, int port) throws Exception {
        run(c, port, c.check());
    }

    private void run(Case c, int port, Check check) throws Exception {
        backend.forget();
        backend.answer(c.backendAnswer());
        String answer = RawClient.exchange(port, c.request(), 3000);
        List<String> all = backend.allRequests(50, 3000);
        String forwarded = all.isEmpty() ? null : all.get(0);
        // What holds in every case, through either proxy: the client gets an answer (a status line); nothing marked
        // "smuggled" reaches the backend on any connection; no more requests reach it than the client sent.
        boolean ballast = port == DataPlaneFixture.proxyPort(dp);
        try {
            assertThat(RawClient.status(answer)).as("the client's answer: %s", answer).isGreaterThan(0);
            assertThat(Http1Messages.heads(all)).as("request heads the backend received").hasSizeLessThanOrEqualTo(c.maxForwarded())
                    .noneMatch(head -> head.contains("smuggled"));
            if (ballast) {
                // Ballast refuses what it cannot frame: not even as body bytes does a hidden request reach the backend.
                assertThat(String.join("", all)).as("what reached the backend").doesNotContainIgnoringCase("smuggled");
            }
            check.verify(answer, forwarded);
        } catch (AssertionError e) {
            throw new AssertionError((ballast ? "ballast: " : "haproxy: ") + c.name() + ": " + e.getMessage(), e);
        }
        if (ballast) {
            InFlight.awaitZero(dp);
        }
    }

    @Test
    void slowlorisIsClosedWithinTheHeadTimeoutWhileOthersAreServed() throws Exception {
        backend.answer(RawBackend.OK);
        int port = DataPlaneFixture.proxyPort(dp);
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port)) {
            slow.setSoTimeout(200);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            byte[] head = "GET /c HTTP/1.1\r\nHost: example.test\r\nX-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            StringBuilder answer = new StringBuilder();
            boolean closed = false;
            for (int i = 0; i < head.length * 2 && !closed; i++) {
                try {
                    out.write(head[i % head.length]);
                    out.flush();
                } catch (java.io.IOException e) {
                    closed = true;
                    break;
                }
                // Another client is served normally in the middle of the trickle.
                if (i == 5) {
                    assertThat(RawClient.status(RawClient.exchange(port, get(""), 3000))).isEqualTo(200);
                }
                try {
                    int n = in.read();
                    if (n < 0) {
                        closed = true;
                    } else {
                        answer.append((char) n).append(RawClient.readAll(in));
                        closed = true;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // still open: keep trickling
                }
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).as("closed by the proxy").isTrue();
            assertThat(elapsedMs).isBetween(HEAD_TIMEOUT_MS - 200, HEAD_TIMEOUT_MS + 2500);
            assertThat(answer.toString()).startsWith("HTTP/1.1 408");
        }
    }
}
