package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HeaderHygieneTest {
    @Test
    void dropsHopByHopAndConnectionNamedFields() {
        HttpHeaders in = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Private")
                .add("connection", "X-Other")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "trailers")
                .add("Trailer", "X-Sum")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c")
                .add("X-Private", "secret")
                .add("x-other", "secret")
                .add("Accept", "text/html")
                .add("Set-Cookie", "a=1")
                .add("Set-Cookie", "b=2");
        HttpHeaders out = new DefaultHttpHeaders();
        HeaderHygiene.copyEndToEnd(in, out);
        assertThat(out.names()).containsExactlyInAnyOrder("Accept", "Set-Cookie");
        assertThat(out.getAll("Set-Cookie")).containsExactly("a=1", "b=2");
    }
}
