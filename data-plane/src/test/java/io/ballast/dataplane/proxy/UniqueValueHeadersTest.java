package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class UniqueValueHeadersTest {
    @Test
    void flagsOnlyTheRequestId() {
        assertThat(UniqueValueHeaders.INSTANCE.isSensitive("x-request-id", "abc")).isTrue();
        assertThat(UniqueValueHeaders.INSTANCE.isSensitive("X-Request-Id", "abc")).isTrue();
        assertThat(UniqueValueHeaders.INSTANCE.isSensitive("x-request-ix", "abc")).isFalse();
        assertThat(UniqueValueHeaders.INSTANCE.isSensitive("content-type", "text/plain")).isFalse();
        assertThat(UniqueValueHeaders.INSTANCE.isSensitive("server", "nginx")).isFalse();
    }

    /** With the detector, a repeated request id is written out again (not indexed); other fields still are. */
    @Test
    void theEncoderKeepsTheRequestIdOutOfTheDynamicTable() throws Http2Exception {
        DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(UniqueValueHeaders.INSTANCE);
        int first = encodedSize(encoder, headers("x-request-id", "c7d1a67042e7200c04d436752cb4a5e4"));
        int again = encodedSize(encoder, headers("x-request-id", "c7d1a67042e7200c04d436752cb4a5e4"));
        assertThat(again).as("a never-indexed field is sent in full every time").isEqualTo(first).isGreaterThan(32);

        int via = encodedSize(encoder, headers("via", "2 ballast"));
        int viaAgain = encodedSize(encoder, headers("via", "2 ballast"));
        assertThat(viaAgain).as("repeating fields are still indexed").isEqualTo(1).isLessThan(via);
    }

    private static Http2Headers headers(String name, String value) {
        return new DefaultHttp2Headers().add(name, value);
    }

    private static int encodedSize(DefaultHttp2HeadersEncoder encoder, Http2Headers headers) throws Http2Exception {
        ByteBuf out = Unpooled.buffer();
        try {
            encoder.encodeHeaders(1, headers, out);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
