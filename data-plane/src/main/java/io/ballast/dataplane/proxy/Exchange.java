package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http.HttpContent;

/**
 * What the client side ({@link DownstreamHandler}) tells the exchange it is serving. Called on the client
 * connection's event loop only.
 */
interface Exchange {
    /** A piece of the request body; the exchange owns (and releases) it. */
    void requestContent(HttpContent content, boolean last);

    /** The client connection finished a read batch: time to flush what went to the backend. */
    void requestReadComplete();

    /** The client connection became writable again, or stopped being. */
    void downstreamWritabilityChanged(boolean writable);

    /** The client connection (or HTTP/2 stream) closed before the exchange ended. */
    void downstreamClosed();

    /**
     * The request body turned out malformed (a bad chunk, {@code why}): nothing more of it comes. The client is at
     * fault, not the backend: answer 400 (or cut the response already under way) without counting it against the
     * backend's health.
     */
    void requestMalformed(RefusedRequest why);

    /** An answer the proxy gives itself: it ignores any request body. */
    Exchange LOCAL = new Exchange() {
        @Override
        public void requestContent(HttpContent content, boolean last) {
            content.release();
        }

        @Override
        public void requestReadComplete() {
        }

        @Override
        public void downstreamWritabilityChanged(boolean writable) {
        }

        @Override
        public void downstreamClosed() {
        }

        @Override
        public void requestMalformed(RefusedRequest why) {
        }
    };
}
