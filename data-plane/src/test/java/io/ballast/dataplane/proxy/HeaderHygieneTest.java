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

    @Test
    void removesHopByHopAndConnectionNamedFieldsInPlace() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "Keep-Alive ,X-Private,\tclose")
                .add("connection", "x-other")
                .add("Keep-Alive", "timeout=5")
                .add("Close", "named too")
                .add("X-Private", "secret")
                .add("X-OTHER", "secret")
                .add("Transfer-Encoding", "chunked")
                .add("Accept", "text/html");
        HeaderHygiene.removeHopByHop(h);
        assertThat(h.names()).containsExactly("Accept");
    }

    @Test
    void keepsAFieldNamedCloseUnlessConnectionNamesIt() {
        HttpHeaders h = new DefaultHttpHeaders().add("Connection", "keep-alive").add("Close", "kept").add("X-A", "1");
        HeaderHygiene.removeHopByHop(h);
        assertThat(h.names()).containsExactlyInAnyOrder("Close", "X-A");
    }
}
