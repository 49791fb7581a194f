package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RFC 9113 §8.2/§8.3 field rules on their own; the same cases through real sockets are in Http2HardeningIntegrationTest. */
class Http2RequestCheckTest {
    private static Http2Headers get() {
        // Unvalidated, as a hostile peer's block reaches the check.
        return new DefaultHttp2Headers(false).method("GET").scheme("http").path("/").authority("shop.example.com");
    }

    @Test
    void aPlainRequestPasses() {
        assertThat(Http2RequestCheck.requestViolation(get().add("accept", "*/*").add("te", "trailers"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\0b", " leading", "trailing\t"})
    void badValuesAreMalformed(String value) {
        assertThat(Http2RequestCheck.requestViolation(get().add("x-a", value))).isNotNull();
        assertThat(Http2RequestCheck.trailerViolation(new DefaultHttp2Headers(false).add("x-a", value))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Upper", "x:a", "x a", "x\0a", "x(a)", "x\"a", "é"})
    void badNamesAreMalformed(String name) {
        assertThat(Http2RequestCheck.requestViolation(get().add(name, "1"))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
    void connectionSpecificFieldsAreMalformed(String name) {
        assertThat(Http2RequestCheck.requestViolation(get().add(name, "x"))).isNotNull();
    }

    @Test
    void teOtherThanTrailersIsMalformed() {
        assertThat(Http2RequestCheck.requestViolation(get().add("te", "gzip"))).isNotNull();
    }

    @Test
    void pseudoHeadersAreRequiredOnceAndNeverInTrailers() {
        assertThat(Http2RequestCheck.requestViolation(new DefaultHttp2Headers(false).method("GET").scheme("http"))).isNotNull();
        assertThat(Http2RequestCheck.requestViolation(get().add(":path", "/again"))).isNotNull();
        assertThat(Http2RequestCheck.requestViolation(get().add(":protocol", "websocket"))).isNotNull();
        assertThat(Http2RequestCheck.requestViolation(get().path(""))).isNotNull();
        assertThat(Http2RequestCheck.trailerViolation(new DefaultHttp2Headers(false).add(":path", "/"))).isNotNull();
    }

    @Test
    void aHostThatRepeatsTheAuthorityIsDroppedOneThatDiffersIsMalformed() {
        Http2Headers same = get().add("host", "SHOP.example.com");
        assertThat(Http2RequestCheck.requestViolation(same)).isNull();
        assertThat(same.contains("host")).isFalse();
        assertThat(Http2RequestCheck.requestViolation(get().add("host", "other.example.com"))).isEqualTo("Host differs from :authority");
        assertThat(Http2RequestCheck.requestViolation(get().add("host", "a").add("host", "a"))).isNotNull();
        Http2Headers hostOnly = new DefaultHttp2Headers(false).method("GET").scheme("http").path("/").add("host", "legacy.example.com");
        assertThat(Http2RequestCheck.requestViolation(hostOnly)).isNull();
        assertThat(hostOnly.get("host")).hasToString("legacy.example.com");
    }
}
