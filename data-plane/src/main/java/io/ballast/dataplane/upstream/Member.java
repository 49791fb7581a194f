package io.ballast.dataplane.upstream;

import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.lb.Endpoint;
import io.ballast.dataplane.lb.Hashing;
import io.ballast.model.AdminState;
import io.ballast.model.Backend;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;

/**
 * A backend of a pool as one snapshot configures it (name, weight, admin state) joined to the live state
 * of its address. Immutable apart from the live state it points to; thread-safe.
 */
public final class Member implements Endpoint {
    private final String pool;
    private final Backend backend;
    private final LiveBackend live;
    private final SocketAddress address;
    /** Unresolved: the proxy's resolver turns it into an address when it connects, never on the config thread. */
    private final InetSocketAddress connectAddress;
    private final String affinityId;
    /** Built once: the proxy counts per-backend traffic under it on every attempt. */
    private final String heartbeatKey;

    Member(String pool, Backend backend, LiveBackend live) {
        this.pool = pool;
        this.backend = backend;
        this.live = live;
        this.address = SocketAddress.inetSocketAddress(backend.port(), backend.host());
        this.connectAddress = InetSocketAddress.createUnresolved(backend.host(), backend.port());
        this.affinityId = Hashing.opaqueId(live.key().id());
        this.heartbeatKey = pool + "/" + backend.name();
    }

    public String pool() {
        return pool;
    }

    public Backend backend() {
        return backend;
    }

    public LiveBackend live() {
        return live;
    }

    public SocketAddress socketAddress() {
        return address;
    }

    /** Where the proxy connects; also the key of its keep-alive connections to this address. */
    public InetSocketAddress connectAddress() {
        return connectAddress;
    }

    /** {@code pool/backend}: how heartbeats key per-backend numbers. */
    public String heartbeatKey() {
        return heartbeatKey;
    }

    /** Enabled and weighted above zero: may take traffic when healthy, and in panic mode. Draining backends take none. */
    public boolean enabled() {
        return backend.adminState() == AdminState.ENABLED && backend.weight() > 0;
    }

    /** May take new requests at {@code now} (epoch millis): enabled, healthy and not ejected. */
    public boolean eligible(long now) {
        return enabled() && live.health().state() == HealthState.HEALTHY && !live.health().ejected(now);
    }

    /** Has been probed at least once; a backend still INITIAL takes no traffic, not even in panic mode. */
    public boolean probed() {
        return live.health().state() != HealthState.INITIAL;
    }

    @Override
    public int weight() {
        return backend.weight();
    }

    @Override
    public int inFlight() {
        return live.inFlight();
    }

    /** Derived from pool and address, so it survives renames and re-weighting, like the live state. */
    @Override
    public String affinityId() {
        return affinityId;
    }

    @Override
    public String toString() {
        return heartbeatKey() + "@" + live.key().address();
    }
}
