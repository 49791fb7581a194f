package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * In front of the HTTP/2 codec, reads only the 9-byte frame headers of what a client sends and bounds header
 * blocks, which Netty 4.2 bounds only by their size: a HEADERS frame without END_HEADERS must be completed by at
 * most {@value #MAX_CONTINUATIONS} CONTINUATION frames (nghttp2's default since the 2024 CONTINUATION floods),
 * within the request-head timeout. While a block is open no other frame may arrive on the connection (RFC 9113
 * §6.10), so a client trickling empty CONTINUATION frames would otherwise hold the whole connection and its
 * stream open for as long as it likes. Either breach is a connection error ({@code ENHANCE_YOUR_CALM}) that the
 * codec turns into GOAWAY and a close. The bytes themselves pass on untouched and uncopied.
 *
 * <p>Not thread-safe: one instance per connection, on its event loop.
 */
final class Http2HeaderBlockGuard extends ChannelInboundHandlerAdapter {
    static final int MAX_CONTINUATIONS = 8;
    private static final int FRAME_HEADER = 9;
    private static final int HEADERS = 0x1;
    private static final int PUSH_PROMISE = 0x5;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;

    private final long deadlineMillis;
    private final ProxyMetrics metrics;
    /** Preface bytes still to pass before the first frame header. */
    private int preface = Http2CodecUtil.connectionPrefaceBuf().readableBytes();
    /** Payload bytes of the current frame still to pass. */
    private long payloadLeft;
    /** A frame header split across reads: the bytes seen so far. */
    private final byte[] header = new byte[FRAME_HEADER];
    private int headerFill;
    private boolean inBlock;
    private int continuations;
    private ScheduledFuture<?> deadline;
    private boolean broken;

    Http2HeaderBlockGuard(long deadlineMillis, ProxyMetrics metrics) {
        this.deadlineMillis = deadlineMillis;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (broken) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf buf && !scan(ctx, buf)) {
            buf.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Walks the frame headers in {@code buf} without moving its reader index; false after a breach. */
    private boolean scan(ChannelHandlerContext ctx, ByteBuf buf) {
        int at = buf.readerIndex();
        int end = buf.writerIndex();
        while (at < end) {
            if (preface > 0) {
                int n = Math.min(preface, end - at);
                preface -= n;
                at += n;
            } else if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - at);
                payloadLeft -= n;
                at += n;
            } else {
                int n = Math.min(FRAME_HEADER - headerFill, end - at);
                buf.getBytes(at, header, headerFill, n);
                headerFill += n;
                at += n;
                if (headerFill == FRAME_HEADER) {
                    headerFill = 0;
                    payloadLeft = (header[0] & 0xffL) << 16 | (header[1] & 0xffL) << 8 | header[2] & 0xffL;
                    if (!frame(ctx, header[3] & 0xff, header[4] & 0xff)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private boolean frame(ChannelHandlerContext ctx, int type, int flags) {
        boolean endHeaders = (flags & END_HEADERS) != 0;
        if (type == HEADERS || type == PUSH_PROMISE) {
            if (!endHeaders && !inBlock) {
                inBlock = true;
                continuations = 0;
                deadline = ctx.executor().schedule(() -> breach(ctx, "header block not completed within " + deadlineMillis + " ms"),
                        deadlineMillis, TimeUnit.MILLISECONDS);
            }
        } else if (type == CONTINUATION && inBlock) {
            if (++continuations > MAX_CONTINUATIONS) {
                breach(ctx, "more than " + MAX_CONTINUATIONS + " CONTINUATION frames in one header block");
                return false;
            }
            if (endHeaders) {
                blockDone();
            }
        }
        // Any other frame inside a block is the codec's PROTOCOL_ERROR to find.
        return true;
    }

    private void blockDone() {
        inBlock = false;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void breach(ChannelHandlerContext ctx, String why) {
        if (broken) {
            return;
        }
        broken = true;
        blockDone();
        metrics.headTimeout();
        // The codec's exceptionCaught sends GOAWAY with this code and closes the connection.
        ctx.fireExceptionCaught(Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, "%s", why));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        blockDone();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        blockDone();
    }
}
