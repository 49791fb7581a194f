package io.ballast.model.snapshot;

import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.validation.CertificateValidator;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.ModelValidator;
import io.ballast.model.validation.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks that a snapshot is internally consistent before anyone may publish or apply it: every
 * resource is valid on its own, names are unique, every route names an existing pool, and no two
 * routes claim exactly the same host, prefix and priority. Stateless and thread-safe.
 */
public final class SnapshotValidator {
    private final ModelValidator resources;

    public SnapshotValidator(ModelValidator resources) {
        this.resources = resources;
    }

    public static SnapshotValidator withDefaults() {
        return new SnapshotValidator(ModelValidator.withDefaults());
    }

    /** All violations, with paths such as {@code pools[2].backends[0].port}; empty when valid. */
    public List<Violation> validate(ConfigSnapshot snapshot) {
        return validate(snapshot, item -> false);
    }

    /**
     * Like {@link #validate(ConfigSnapshot)}, but skips the checks of a pool, route or certificate on its own
     * (its fields, its backends, its PEM) for items {@code checked} accepts: items that passed this validator
     * before and did not change (a write that changed one pool of a thousand checks that one). Checks across
     * items (unique names, routes naming existing pools, overlapping routes) always cover everything.
     */
    public List<Violation> validate(ConfigSnapshot snapshot, Predicate<Object> checked) {
        List<Violation> out = new ArrayList<>();
        Set<String> poolNames = new HashSet<>();
        // Mirror copies are sent as HTTP/1.1 requests: a pool that speaks only HTTP/2 cannot take them.
        Set<String> http2Pools = new HashSet<>();
        for (int i = 0; i < snapshot.pools().size(); i++) {
            Pool pool = snapshot.pools().get(i);
            String at = "pools[" + i + "]";
            if (pool == null) {
                out.add(new Violation(at, "must not be null"));
                continue;
            }
            boolean trusted = checked.test(pool);
            if (!trusted) {
                out.addAll(resources.pool(pool, at + "."));
            }
            if (pool.name() != null && pool.http2ToBackends()) {
                http2Pools.add(pool.name());
            }
            if (pool.name() != null && !poolNames.add(pool.name())) {
                out.add(new Violation(at + ".name", "pool '" + pool.name() + "' is defined more than once"));
            }
            if (!trusted) {
                uniqueBackends(pool, at, out);
            }
        }
        Set<String> routeNames = new HashSet<>();
        Map<String, String> claims = new HashMap<>();
        for (int i = 0; i < snapshot.routes().size(); i++) {
            Route route = snapshot.routes().get(i);
            String at = "routes[" + i + "]";
            if (route == null) {
                out.add(new Violation(at, "must not be null"));
                continue;
            }
            if (!checked.test(route)) {
                out.addAll(resources.route(route, at + "."));
            }
            if (route.name() != null && !routeNames.add(route.name())) {
                out.add(new Violation(at + ".name", "route '" + route.name() + "' is defined more than once"));
            }
            if (route.pool() != null && !poolNames.contains(route.pool())) {
                out.add(new Violation(at + ".pool", "pool '" + route.pool() + "' does not exist"));
            }
            for (int j = 0; route.pools() != null && j < route.pools().size(); j++) {
                io.ballast.model.WeightedPool p = route.pools().get(j);
                if (p != null && p.pool() != null && !poolNames.contains(p.pool())) {
                    out.add(new Violation(at + ".pools[" + j + "].pool", "pool '" + p.pool() + "' does not exist"));
                }
            }
            if (route.mirror() != null && route.mirror().pool() != null && !poolNames.contains(route.mirror().pool())) {
                out.add(new Violation(at + ".mirror.pool", "pool '" + route.mirror().pool() + "' does not exist"));
            } else if (route.mirror() != null && http2Pools.contains(route.mirror().pool())) {
                out.add(new Violation(at + ".mirror.pool", "pool '" + route.mirror().pool()
                        + "' speaks HTTP/2 to its backends; mirror copies are sent as HTTP/1.1, so mirror to an http1 pool"));
            }
            String path = route.pathExact() != null ? "path " + route.pathExact()
                    : route.pathRegex() != null ? "path regex " + route.pathRegex() : "prefix " + route.pathPrefix();
            String conditions = route.match() == null || route.match().conditions() == 0 ? "" : " " + route.match();
            for (String host : route.hosts()) {
                String claim = host + " " + path + " " + route.priority() + conditions;
                String previous = claims.putIfAbsent(claim, route.name());
                if (previous != null && !previous.equals(route.name())) {
                    out.add(new Violation(at + ".hosts", "route '" + previous + "' already matches host " + host
                            + " and " + path + (conditions.isEmpty() ? "" : " with the same conditions") + " at the same priority"));
                }
            }
        }
        Set<String> certificateNames = new HashSet<>();
        for (int i = 0; i < snapshot.certificates().size(); i++) {
            Certificate certificate = snapshot.certificates().get(i);
            String at = "certificates[" + i + "]";
            if (!checked.test(certificate)) {
                out.addAll(CertificateValidator.validate(certificate, at + "."));
            }
            if (certificate.name() != null && !certificateNames.add(certificate.name())) {
                out.add(new Violation(at + ".name", "certificate '" + certificate.name() + "' is defined more than once"));
            }
        }
        backendTlsReferences(snapshot, out);
        return out;
    }

    /** A pool's {@code tls.caCertificate} names a certificate; its {@code tls.clientCertificate} one with a key. */
    private static void backendTlsReferences(ConfigSnapshot snapshot, List<Violation> out) {
        java.util.Map<String, Certificate> byName = new java.util.HashMap<>();
        snapshot.certificates().forEach(c -> {
            if (c != null && c.name() != null) {
                byName.putIfAbsent(c.name(), c);
            }
        });
        for (int i = 0; i < snapshot.pools().size(); i++) {
            Pool pool = snapshot.pools().get(i);
            if (pool == null || pool.tls() == null) {
                continue;
            }
            String at = "pools[" + i + "].tls.";
            String ca = pool.tls().caCertificate();
            if (ca != null && !byName.containsKey(ca)) {
                out.add(new Violation(at + "caCertificate", "certificate '" + ca + "' does not exist"));
            }
            String client = pool.tls().clientCertificate();
            if (client != null) {
                Certificate c = byName.get(client);
                if (c == null) {
                    out.add(new Violation(at + "clientCertificate", "certificate '" + client + "' does not exist"));
                } else if (!Boolean.TRUE.equals(c.hasPrivateKey())) {
                    out.add(new Violation(at + "clientCertificate", "certificate '" + client + "' has no private key"));
                }
            }
        }
    }

    /** Throws {@link InvalidConfigException} with every violation unless the snapshot is valid. */
    public void requireValid(ConfigSnapshot snapshot) {
        requireValid(snapshot, item -> false);
    }

    /** {@link #requireValid(ConfigSnapshot)} trusting what {@code checked} accepts, as {@link #validate(ConfigSnapshot, Predicate)}. */
    public void requireValid(ConfigSnapshot snapshot, Predicate<Object> checked) {
        List<Violation> violations = validate(snapshot, checked);
        if (!violations.isEmpty()) {
            throw new InvalidConfigException(violations);
        }
    }

    private static void uniqueBackends(Pool pool, String at, List<Violation> out) {
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (int j = 0; j < pool.backends().size(); j++) {
            Backend b = pool.backends().get(j);
            if (b == null || b.name() == null) {
                continue;
            }
            if (!names.add(b.name())) {
                out.add(new Violation(at + ".backends[" + j + "].name", "backend '" + b.name() + "' is defined more than once in this pool"));
            }
            if (b.host() != null && b.port() != null && !addresses.add(b.address())) {
                out.add(new Violation(at + ".backends[" + j + "]", "address " + b.address() + " is used by another backend of this pool"));
            }
        }
    }
}
