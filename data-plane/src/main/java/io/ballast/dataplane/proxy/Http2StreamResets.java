package io.ballast.dataplane.proxy;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStreamException;

/**
 * Ends an HTTP/2 stream that failed with the RST_STREAM code that says why, rather than the {@code CANCEL} a bare
 * close of its channel sends: a stream error the codec found keeps its code (a body shorter than its
 * {@code content-length} is {@code PROTOCOL_ERROR}, RFC 9113 §8.1.1), input a decoder refused is
 * {@code PROTOCOL_ERROR}, anything else {@code INTERNAL_ERROR}. The stream closes after the reset
 * ({@link Http2StreamOutput#reset}), which ends its exchange and releases what it held. Stateless.
 */
final class Http2StreamResets {
    private Http2StreamResets() {
    }

    static Http2Error codeFor(Throwable cause) {
        if (cause instanceof Http2FrameStreamException e) {
            return e.error();
        }
        Http2Exception h2 = Http2CodecUtil.getEmbeddedHttp2Exception(cause);
        if (h2 != null) {
            return h2.error();
        }
        if (cause instanceof DecoderException || cause instanceof IllegalArgumentException) {
            return Http2Error.PROTOCOL_ERROR;
        }
        return Http2Error.INTERNAL_ERROR;
    }
}
