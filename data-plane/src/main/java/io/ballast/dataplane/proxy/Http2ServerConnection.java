package io.ballast.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/2 codec of one client connection, with its streams dispatched straight to their exchanges by an
 * {@link Http2StreamDispatcher} on the connection's own pipeline: no child channel, pipeline or handlers per
 * stream, which is what Netty's multiplexer costs per request. It also ends each read batch for the streams that
 * read in it (their backend writes are flushed once, then the connection once), and passes the connection's
 * writability changes on to the streams. Closing the channel is graceful: GOAWAY, then close once the open
 * streams are done or the grace is over.
 *
 * <p>Not thread-safe: one instance per connection, on its event loop.
 */
final class Http2ServerConnection extends Http2ConnectionHandler {
    private final Http2StreamDispatcher dispatcher;
    /** The streams that read something in the current read batch, in order. */
    private final List<DownstreamHandler> readThisBatch = new ArrayList<>();

    private Http2ServerConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
                                  Http2StreamDispatcher dispatcher) {
        super(decoder, encoder, settings);
        this.dispatcher = dispatcher;
        dispatcher.attach(this);
    }

    /** Called by the dispatcher when a stream read a frame; its read batch ends in {@link #channelReadComplete}. */
    void readInBatch(DownstreamHandler stream) {
        if (!stream.inReadBatch) {
            stream.inReadBatch = true;
            readThisBatch.add(stream);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        for (int i = 0; i < readThisBatch.size(); i++) {
            DownstreamHandler stream = readThisBatch.get(i);
            stream.inReadBatch = false;
            stream.streamReadComplete();
        }
        readThisBatch.clear();
        // Flushes the connection once for the whole batch.
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        super.channelWritabilityChanged(ctx);
        dispatcher.connectionWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        readThisBatch.clear();
        super.channelInactive(ctx);
    }

    /** Builds the handler: the settings of {@link ClientPipelines#http2} plus the dispatcher as frame listener. */
    static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2ServerConnection, Builder> {
        private final Http2StreamDispatcher dispatcher;

        Builder(Http2StreamDispatcher dispatcher) {
            this.dispatcher = dispatcher;
            DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
            // As Netty's frame codec does: the connection-level window is given back as soon as bytes arrive, so a
            // stream paused for its backend holds back only its own window, never the other streams'.
            connection.local().flowController(new DefaultHttp2LocalFlowController(connection,
                    DefaultHttp2LocalFlowController.DEFAULT_WINDOW_UPDATE_RATIO, true));
            connection(connection);
            frameListener(dispatcher);
        }

        Builder settings(Http2Settings settings) {
            return initialSettings(settings);
        }

        Builder shutdownGrace(long millis) {
            return gracefulShutdownTimeoutMillis(millis);
        }

        Builder strictHeaders() {
            return validateHeaders(true);
        }

        Builder sensitivity(io.netty.handler.codec.http2.Http2HeadersEncoder.SensitivityDetector detector) {
            return headerSensitivityDetector(detector);
        }

        Builder resetLimits(int maxResets, int windowSeconds) {
            return encoderEnforceMaxRstFramesPerWindow(maxResets, windowSeconds)
                    .decoderEnforceMaxRstFramesPerWindow(maxResets, windowSeconds);
        }

        Http2ServerConnection create() {
            return build();
        }

        @Override
        protected Http2ServerConnection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings initialSettings) {
            return new Http2ServerConnection(decoder, encoder, initialSettings, dispatcher);
        }
    }
}
