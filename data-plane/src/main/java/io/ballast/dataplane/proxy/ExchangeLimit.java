package io.ballast.dataplane.proxy;

/**
 * How many exchanges one client connection may have going to backends at once. On HTTP/2 this is the bound
 * that {@code MAX_CONCURRENT_STREAMS} alone does not give: a stream the client resets stops counting as active
 * at once, while its exchange ends only when its stream channel closes, later in the event-loop turn, so a read
 * full of HEADERS and RST_STREAM pairs (rapid reset) would otherwise start a backend request for each pair.
 * {@link ExchangeLifecycle} takes a place when an exchange starts and gives it back when it ends, on every path.
 *
 * <p>Confined to the connection's event loop (an HTTP/2 connection's streams share it); not thread-safe.
 */
final class ExchangeLimit {
    private final int max;
    private int open;

    ExchangeLimit(int max) {
        this.max = max;
    }

    /** True when another exchange may start now. */
    boolean hasRoom() {
        return open < max;
    }

    void opened() {
        open++;
    }

    void closed() {
        open--;
    }

    /** Exchanges open now, for tests. */
    int open() {
        return open;
    }
}
