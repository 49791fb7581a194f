package io.ballast.dataplane.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of HTTP/1 request bytes for the fuzz properties: request lines, header fields and bodies each drawn
 * from valid spellings and the hostile ones smuggling and parser-differential attacks use, combined freely (a
 * chunked body under a Content-Length head is as interesting as the reverse), one to a few requests in a row. Any
 * request hidden in body bytes has {@code /smuggled} in its target.
 */
public final class Http1Inputs {
    private static final String HIDDEN = "GET /smuggled HTTP/1.1\r\nHost: example.test\r\n\r\n";

    private Http1Inputs() {
    }

    public static Arbitrary<byte[]> requests(int max) {
        Arbitrary<String> tail = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just(""), Arbitraries.just(HIDDEN),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(30));
        return Combinators.combine(request().list().ofMinSize(1).ofMaxSize(max), tail)
                .as((rs, t) -> (String.join("", rs) + t).getBytes(StandardCharsets.ISO_8859_1));
    }

    static Arbitrary<String> request() {
        Arbitrary<String> method = Arbitraries.of("GET", "GET", "POST", "POST", "PUT", "get", "OPTIONS", "G(T");
        Arbitrary<String> target = Arbitraries.of("/", "/c", "/c", "/a?b=1", "http://example.test/c", "http://evil.test/c", "*",
                "/caf\u00e9", "/a\u0001b", "/a\u007fb", "example.test/c", "http://u@example.test/");
        Arbitrary<String> version = Arbitraries.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/1.2", "http/1.1",
                "HTTP/2.0", "HTTP/1.1 ", "HTTP/1.10");
        Arbitrary<String> separator = Arbitraries.of(" ", " ", " ", " ", "  ", "\t", "\r");
        Arbitrary<String> eol = Arbitraries.of("\r\n", "\r\n", "\r\n", "\r\n", "\r\n", "\r\n", "\n", "\r");
        Arbitrary<String> field = Arbitraries.of("Host: example.test", "Host: example.test", "Host: a,b", "Host: user@example.test",
                "Host: example.test:8080", "X-A: b", ": v", "X-Fold: a\r\n b", "Content-Length: 0", "Content-Length: 5", "Content-Length: 12",
                "Content-Length: 5, 5", "Content-Length: +5", "Content-Length: 99999999999999999999", "Transfer-Encoding: chunked",
                "Transfer-Encoding: chunked", "Transfer-Encoding: xchunked", "Transfer-Encoding: chunked, chunked",
                "Transfer-Encoding : chunked", "Transfer-Encoding: gzip, chunked", "Connection: close", "Connection: keep-alive, X-A",
                "Upgrade: h2c", "X-Nul: a\u0000b", "X-Cr: a\rb");
        Arbitrary<String> head = Combinators.combine(method, separator, target, version, field.list().ofMaxSize(6), eol)
                .as((m, sp, t, v, fs, nl) -> {
                    StringBuilder sb = new StringBuilder(m).append(sp).append(t).append(' ').append(v).append(nl);
                    for (String f : fs) {
                        sb.append(f).append(nl);
                    }
                    return sb.append(nl).toString();
                });
        // Most heads are clean, so that the body parser (where smuggling happens) is reached often.
        Arbitrary<String> clean = Arbitraries.of(
                "POST /c HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST /c HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST /c HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST /c HTTP/1.1\r\nHost: example.test\r\nContent-Length: 5\r\n\r\n",
                "GET /c HTTP/1.1\r\nHost: example.test\r\n\r\n",
                "POST /c HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n");
        Arbitrary<String> anyHead = Arbitraries.frequencyOf(Tuple.of(3, clean), Tuple.of(2, head));
        Arbitrary<String> body = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("hello"), Arbitraries.just("hello, world"),
                chunked(), chunked(), chunked());
        return Combinators.combine(anyHead, body).as((h, b) -> h + b);
    }

    static Arbitrary<String> chunked() {
        Arbitrary<String> terminator = Arbitraries.of("0\r\n\r\n", "0\r\n\r\n", "0\r\n\r\n", "0\r\nX-T: 1\r\n\r\n", "0\r\n", "0;e\r\n\r\n",
                "00000000000000000\r\n\r\n", "100000000\r\n\r\n", "0\r\nbad trailer\r\n\r\n", "");
        return Combinators.combine(chunk().list().ofMaxSize(4), terminator).as((cs, t) -> String.join("", cs) + t);
    }

    static Arbitrary<String> chunk() {
        Arbitrary<String> data = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
                Arbitraries.just(HIDDEN), Arbitraries.just("0\r\n\r\n" + HIDDEN));
        Arbitrary<Integer> spelling = Arbitraries.integers().between(0, 11);
        Arbitrary<Long> wraps = Arbitraries.longs().between(1, 16);
        Arbitrary<String> delimiter = Arbitraries.of("\r\n", "\r\n", "\r\n", "\r\n", "\r\n", "\n", "", "XX\r\n", "\r");
        return Combinators.combine(data, spelling, wraps, delimiter).as((d, how, k, delim) -> size(d.length(), how, k) + d + delim);
    }

    /** The size line of a chunk of {@code n} bytes, spelt one of several ways, most of them hostile. */
    private static String size(int n, int how, long k) {
        String hex = Integer.toHexString(n);
        return switch (how) {
            case 0, 1, 2 -> hex + "\r\n";
            case 3 -> hex.toUpperCase() + ";name=\"v\"\r\n";
            case 4 -> Long.toHexString(n + (k << 32)) + "\r\n";
            case 5 -> "0000000000000000" + hex + "\r\n";
            case 6 -> " " + hex + "\r\n";
            case 7 -> hex + " junk\r\n";
            case 8 -> hex + "\n";
            case 9 -> Integer.toHexString(n + 1) + "\r\n";
            case 10 -> "-" + hex + "\r\n";
            default -> "0x" + hex + "\r\n";
        };
    }

    static List<String> hidden() {
        return List.of(HIDDEN);
    }
}
