package io.ballast.dataplane.upstream;

import static java.util.Objects.requireNonNull;

/**
 * What identifies a backend's live state across snapshots: its pool and address. A backend renamed or
 * re-weighted keeps its key (and its health); one moved to another address is a new backend.
 */
public record BackendKey(String pool, String host, int port) {
    public BackendKey {
        requireNonNull(pool, "pool");
        requireNonNull(host, "host");
    }

    /** {@code pool/host:port}. */
    public String id() {
        return pool + "/" + address();
    }

    public String address() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
