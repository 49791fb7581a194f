package io.ballast.dataplane.address;

import io.ballast.model.validation.AddressPolicy;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The one place that decides whether the data plane may connect to a backend host: it checks the host as
 * spelled (metadata names, odd literal spellings), resolves it, and checks <em>every</em> address the name
 * resolved to against the shared {@link AddressPolicy} (a resolver that mixes one forbidden address into its
 * answer is refused, not raced). Callers then connect to the returned address, not to the name, so a second
 * lookup cannot give a different (rebound) answer. Literals are judged without any lookup; names are resolved
 * on a worker thread, never on the caller's event loop. Thread-safe.
 *
 * <p>Use: {@code gate.check(host).compose(address -> connect(address.getHostAddress(), port))}; a failure with
 * {@link AddressForbiddenException} means "do not connect" (a health check reports {@code unhealthy:AddressForbidden},
 * a proxied request should answer 502 without counting it against the backend's health as a connect failure would).
 */
public final class AddressGate {
    private final Vertx vertx;
    private final AddressPolicy policy;
    private final Resolver resolver;

    public AddressGate(Vertx vertx, AddressPolicy policy, Resolver resolver) {
        this.vertx = vertx;
        this.policy = policy;
        this.resolver = resolver;
    }

    /** A gate with the system resolver. */
    public static AddressGate system(Vertx vertx, AddressPolicy policy) {
        return new AddressGate(vertx, policy, Resolver.SYSTEM);
    }

    public AddressPolicy policy() {
        return policy;
    }

    /**
     * The address to connect to for {@code host}: completes on the caller's context; fails with
     * {@link AddressForbiddenException} when the host or any address it resolves to is forbidden, or with the
     * resolver's {@link UnknownHostException}.
     */
    public Future<InetAddress> check(String host) {
        Optional<String> spelled = policy.refusal(host);
        if (spelled.isPresent()) {
            return Future.failedFuture(new AddressForbiddenException(spelled.get()));
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(bare);
        if (literal != null) {
            return judged(host, new InetAddress[] {literal});
        }
        return vertx.<InetAddress[]>executeBlocking(() -> resolver.resolve(host), false)
                .compose(addresses -> judged(host, addresses));
    }

    /** Synchronous form for a caller that has resolved already (e.g. the address a connection reached). */
    public Optional<String> refusal(InetAddress address) {
        return policy.refusal(address);
    }

    private Future<InetAddress> judged(String host, InetAddress[] addresses) {
        if (addresses == null || addresses.length == 0) {
            return Future.failedFuture(new UnknownHostException(host + ": no address"));
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                String via = address.getHostAddress().equals(host) ? "" : "'" + host + "' resolves to ";
                return Future.failedFuture(new AddressForbiddenException(via + refusal.get()));
            }
        }
        return Future.succeededFuture(addresses[0]);
    }
}
