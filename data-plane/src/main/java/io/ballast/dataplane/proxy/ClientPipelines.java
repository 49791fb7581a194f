package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lifecycle.DrainState;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.settings.ProxySettings;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The two client pipelines, HTTP/1.x and HTTP/2, as they are set up once the protocol is known: by the
 * cleartext {@link CleartextProtocolSelector} today, and by ALPN after a TLS handshake (see
 * {@link ClientChannelInitializer}). Both end in a {@link DownstreamHandler}, so every protocol reaches the same
 * forwarding path. Thread-safe (immutable settings).
 */
final class ClientPipelines {
    static final String CODEC = "ballastHttpCodec";
    static final String CHECKS = "ballastRequestHeadChecks";
    /** Idle client connections (between requests) are closed after this. */
    static final long CLIENT_IDLE_MILLIS = 60_000;
    /**
     * Streams one HTTP/2 client may have open at once, so also the most backend requests one client connection
     * makes at a time (RFC 9113 §6.5.2 recommends at least 100; HAProxy and nginx announce 100 as well).
     */
    static final int MAX_CONCURRENT_STREAMS = 100;
    static final int MAX_RESETS_PER_WINDOW = 200;
    private static final int RESET_WINDOW_SECONDS = 30;

    private static final LeanHeadersFactory REQUEST_HEADERS =
            LeanHeadersFactory.heads(DefaultHttpHeadersFactory.headersFactory().withValidation(true).withValueValidation(true));

    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final RequestRouter router;
    private final DrainState drain;

    ClientPipelines(ProxySettings settings, ProxyMetrics metrics, RequestRouter router, DrainState drain) {
        this.settings = settings;
        this.metrics = metrics;
        this.router = router;
        this.drain = drain;
    }

    /**
     * Appends the HTTP/1.x handlers: head deadline, codec (Netty's, with the chunk-size and head checks of
     * {@link Http1RequestDecoder}; no aggregation), framing checks, the proxy.
     */
    void http1(ChannelPipeline p, boolean tls) {
        ConnectionGuard guard = new ConnectionGuard(settings.requestHeadTimeout().toMillis(), CLIENT_IDLE_MILLIS, metrics);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                // Netty answers 414 past the request line limit and 431 past the header size limit (RequestRouter).
                .setMaxInitialLineLength(settings.maxRequestLine())
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxChunkSize(256 * 1024)
                .setHeadersFactory(REQUEST_HEADERS)
                .setTrailersFactory(LeanHeadersFactory.trailers());
        p.addLast(ConnectionGuard.NAME, guard);
        Http1ServerCodec codec = new Http1ServerCodec(decoder);
        p.addLast(CODEC, codec);
        p.addLast(CHECKS, new RequestHeadChecks(guard, codec.decoder()));
        p.addLast(DownstreamHandler.NAME, new DownstreamHandler(router, drain, tls));
    }

    /**
     * Appends HTTP/2: the connection codec, whose {@link Http2StreamDispatcher} hands each stream to a
     * {@link DownstreamHandler} of its own for the same forwarding path (no channel per stream). Closing the
     * channel sends GOAWAY and lets open streams finish within the shutdown grace.
     */
    void http2(ChannelPipeline p, boolean tls) {
        Http2StreamDispatcher streams = new Http2StreamDispatcher(router, drain, tls, new ExchangeLimit(MAX_CONCURRENT_STREAMS));
        Http2ServerConnection codec = new Http2ServerConnection.Builder(streams)
                .settings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(settings.maxHeaderSize()))
                .shutdownGrace(settings.shutdownGrace().toMillis())
                .strictHeaders()
                .sensitivity(UniqueValueHeaders.INSTANCE)
                // Netty's defaults, stated: a client that makes the proxy reset more than 200 of its streams in
                // 30 s (streams over the limit included), or resets that many itself (rapid reset), gets GOAWAY
                // ENHANCE_YOUR_CALM and the connection is closed.
                .resetLimits(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
                .create();
        // Netty applies the announced limit only once the client acknowledges the SETTINGS frame, so a client
        // that never does could open any number of streams. Enforce it from the first frame on: streams over it
        // are reset with REFUSED_STREAM (always safe for the client to retry, RFC 9113 §8.7).
        codec.connection().remote().maxActiveStreams(MAX_CONCURRENT_STREAMS);
        // Streams answer from backend reads, outside this connection's read loop: without consolidation each
        // stream's flush would be a write syscall of its own. This batches them to one per event-loop turn.
        p.addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        p.addLast(new Http2HeaderBlockGuard(settings.requestHeadTimeout().toMillis(), metrics));
        p.addLast(codec);
        p.addLast(new Http2IdleGuard(codec.connection(), settings.requestHeadTimeout().toMillis(), CLIENT_IDLE_MILLIS, metrics));
        p.addLast(ConnectionErrorSink.INSTANCE);
    }

    /**
     * The end of an HTTP/2 connection pipeline. The frame codec has already answered a connection error (GOAWAY,
     * then close) when it passes the error on; a hostile client can cause as many as it likes, so they end here
     * instead of as a logged stack trace each.
     */
    @ChannelHandler.Sharable
    private static final class ConnectionErrorSink extends ChannelInboundHandlerAdapter {
        static final ConnectionErrorSink INSTANCE = new ConnectionErrorSink();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof Http2Exception)) {
                // An I/O error the codec does not handle itself: the connection is done for.
                ctx.close();
            }
        }
    }

    /** After a 101: the connection carries WebSocket bytes, no more HTTP. */
    static void removeHttp1(ChannelPipeline p) {
        for (String name : new String[] {ConnectionGuard.NAME, CODEC, CHECKS}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }
}
