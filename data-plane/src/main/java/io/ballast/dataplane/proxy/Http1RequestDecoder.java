package io.ballast.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Queue;

/**
 * Netty's request decoder with the checks a proxy in front of other parsers needs and Netty 4.2 does not make:
 *
 * <ul>
 *   <li>Every chunk-size line is checked by {@link ChunkSizeLine} before Netty parses it: Netty's own parse
 *       wraps past 32 bits, which turns chunk data into a smuggled request. To know where each size line
 *       starts, this decoder follows Netty's chunked-body states from the outside (the bytes each call consumes
 *       and the contents it emits); a refused line ends the request with a failed last content, as Netty does
 *       for the malformed bodies it notices itself (a chunk longer than declared, a bad delimiter).</li>
 *   <li>An empty header name, a control or non-ASCII byte in the request target, and an HTTP-name other than
 *       exactly {@code HTTP} (RFC 9112 §2.3 makes it case-sensitive) fail the request head.</li>
 *   <li>Netty removes {@code Content-Length} when {@code Transfer-Encoding} is present, so nobody after it could
 *       tell; {@link #takeAmbiguousFraming} says so for the head just decoded (RFC 9112 §6.1: the connection must
 *       close after the answer).</li>
 * </ul>
 *
 * The hot path adds a branch per decode call and one byte loop per chunk-size line and request target; nothing
 * is allocated. Not thread-safe: one instance per connection.
 */
final class Http1RequestDecoder extends HttpRequestDecoder {
    /** Where Netty is, as far as chunk-size lines are concerned. */
    private static final int HEAD = 0;
    private static final int SIZE = 1;
    private static final int DATA = 2;
    private static final int DELIMITER = 3;
    private static final int TRAILERS = 4;
    private static final int BROKEN = 5;

    private int state = HEAD;
    /** Data bytes of the current chunk not yet emitted. */
    private long remaining;
    private boolean ambiguousFraming;
    /** Content-Length fields of the head being decoded (Netty reads only the first of several in HTTP/1.0). */
    private int contentLengthFields;
    /** Each decoded request's method, for the response encoder (HEAD answers have no body). */
    private final Queue<HttpMethod> methods;

    Http1RequestDecoder(HttpDecoderConfig config, Queue<HttpMethod> methods) {
        super(config);
        this.methods = methods;
    }

    /** True once for a head that had both Transfer-Encoding and Content-Length (the latter is gone from it). */
    boolean takeAmbiguousFraming() {
        boolean was = ambiguousFraming;
        ambiguousFraming = false;
        return was;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (state == BROKEN) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int lineLength = 0;
        if (state == SIZE) {
            int from = in.readerIndex();
            int scanTo = Math.min(in.writerIndex(), from + ChunkSizeLine.MAX_LINE + 1);
            int lf = in.indexOf(from, scanTo, (byte) '\n');
            if (lf < 0) {
                if (scanTo - from > ChunkSizeLine.MAX_LINE) {
                    refuse(in, out, RefusedRequest.CHUNK_SIZE_TOO_LARGE);
                }
                return;
            }
            long size = ChunkSizeLine.parse(in, from, lf);
            if (size < 0) {
                refuse(in, out, size == ChunkSizeLine.TOO_LARGE ? RefusedRequest.CHUNK_SIZE_TOO_LARGE : RefusedRequest.MALFORMED_CHUNK);
                return;
            }
            lineLength = lf - from + 1;
            remaining = size;
        }
        int before = in.readerIndex();
        int emittedBefore = out.size();
        super.decode(ctx, in, out);
        follow(in.readerIndex() - before, lineLength, out, emittedBefore);
    }

    /** Moves the shadow state along with what Netty just consumed and emitted. */
    private void follow(int consumed, int lineLength, List<Object> out, int from) {
        int data = 0;
        for (int i = from; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
                if (contentLengthFields > 1 && request.decoderResult().isSuccess()) {
                    // RFC 9112 §6.3: several Content-Length fields are an unrecoverable framing error; Netty 4.2 refuses
                    // them in HTTP/1.1 but, in HTTP/1.0, frames the body by the first and folds the header to it.
                    request.setDecoderResult(DecoderResult.failure(RefusedRequest.DUPLICATE_CONTENT_LENGTH));
                }
                // contains() first: a request without Transfer-Encoding costs a lookup, not a value iterator.
                state = !request.decoderResult().isSuccess() ? BROKEN
                        : request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) && HttpUtil.isTransferEncodingChunked(request) ? SIZE : HEAD;
                if (state == BROKEN) {
                    return;
                }
            }
            if (msg instanceof HttpContent content) {
                if (!content.decoderResult().isSuccess()) {
                    state = BROKEN;
                    return;
                }
                if (content instanceof LastHttpContent) {
                    state = HEAD;
                } else {
                    data += content.content().readableBytes();
                }
            }
        }
        switch (state) {
            case SIZE -> {
                if (lineLength == 0) {
                    return; // the head was just decoded: the first size line comes next
                }
                if (remaining == 0) {
                    state = TRAILERS;
                    return;
                }
                afterData(consumed - lineLength, data);
            }
            case DATA -> afterData(consumed, data);
            case DELIMITER -> {
                if (consumed == 2) {
                    state = SIZE;
                }
            }
            default -> {
                // HEAD and TRAILERS end with an emitted message, handled above.
            }
        }
    }

    private void afterData(int consumed, int data) {
        remaining -= data;
        if (remaining > 0) {
            state = DATA;
        } else {
            state = consumed - data == 2 ? SIZE : DELIMITER;
        }
    }

    private void refuse(ByteBuf in, List<Object> out, RefusedRequest why) {
        state = BROKEN;
        in.skipBytes(in.readableBytes());
        LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        failed.setDecoderResult(DecoderResult.failure(why));
        out.add(failed);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        ambiguousFraming = true;
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        contentLengthFields = 0;
        return super.createMessage(initialLine);
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        if (length == 0) {
            throw RefusedRequest.EMPTY_HEADER_NAME;
        }
        AsciiString known = KnownHeaderNames.find(sb, start, length);
        AsciiString name = known != null ? known : super.splitHeaderName(sb, start, length);
        if (length == 14 && HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
            contentLengthFields++;
        }
        return name;
    }

    /** RFC 9112 §3.2 / RFC 3986: a request target is visible ASCII; Netty splits on whitespace only. */
    @Override
    protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
        for (int i = start, end = start + length; i < end; i++) {
            byte b = sb[i];
            if (b <= 0x20 || b == 0x7f) {
                throw RefusedRequest.BAD_TARGET;
            }
        }
        return super.splitSecondWordInitialLine(sb, start, length);
    }

    /** Netty upper-cases the version, so {@code http/1.1} would pass as a 1.1 that is not the 1.1 constant. */
    @Override
    protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
        if (length < 5 || sb[start] != 'H' || sb[start + 1] != 'T' || sb[start + 2] != 'T' || sb[start + 3] != 'P' || sb[start + 4] != '/') {
            throw RefusedRequest.BAD_VERSION;
        }
        String known = KnownWords.find(KnownWords.VERSIONS, sb, start, length);
        return known != null ? known : super.splitThirdWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
        String known = KnownWords.find(KnownWords.METHODS, sb, start, length);
        return known != null ? known : super.splitFirstWordInitialLine(sb, start, length);
    }
}
