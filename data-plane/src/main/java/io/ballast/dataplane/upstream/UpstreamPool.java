package io.ballast.dataplane.upstream;

import io.ballast.dataplane.lb.LoadBalancer;
import io.ballast.dataplane.lb.RandomSource;
import io.ballast.dataplane.lb.RequestKey;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of one routing table: its config, its members, its balancer, and the list of members eligible
 * now. The list is recomputed only when a health transition happened since it was built, so the
 * per-request cost is one volatile read. Thread-safe.
 */
public final class UpstreamPool {
    private final Pool config;
    private final List<Member> members;
    private final LoadBalancer balancer;
    private final AtomicLong healthChanges;
    private volatile Candidates candidates = new Candidates(-1, List.of());

    private record Candidates(long version, List<Member> members) {
    }

    UpstreamPool(Pool config, List<Member> members, LoadBalancer balancer, AtomicLong healthChanges) {
        this.config = config;
        this.members = List.copyOf(members);
        this.balancer = balancer;
        this.healthChanges = healthChanges;
    }

    /** Builds the pool of {@code config}, obtaining each address's live state from {@code live}. */
    public static UpstreamPool build(Pool config, LiveBackends live) {
        List<Member> members = new ArrayList<>();
        for (Backend b : config.backends()) {
            BackendKey key = new BackendKey(config.name(), b.host(), b.port());
            members.add(new Member(config.name(), b, live.obtain(key, config.healthCheck())));
        }
        return new UpstreamPool(config, members, LoadBalancer.forAlgorithm(config.algorithm(),
                config.stickyCookie() != null && !config.stickyCookie().isBlank(), RandomSource.threadLocal()), live.healthChanges());
    }

    public String name() {
        return config.name();
    }

    public Pool config() {
        return config;
    }

    public List<Member> members() {
        return members;
    }

    /** Members that may take new requests now. */
    public List<Member> eligible() {
        long version = healthChanges.get();
        Candidates c = candidates;
        if (c.version() != version) {
            // Several threads may recompute at once after a transition; each result is correct, the last wins.
            c = new Candidates(version, members.stream().filter(Member::eligible).toList());
            candidates = c;
        }
        return c.members();
    }

    /** One eligible member, or null when none can take the request. */
    public Member select() {
        return balancer.select(eligible(), RequestKey.NONE);
    }

    /** One eligible member that is not in {@code exclude} (a retry), or null; {@code key} steers hashing and affinity. */
    public Member selectExcluding(Collection<Member> exclude, RequestKey key) {
        if (exclude.isEmpty()) {
            return balancer.select(eligible(), key);
        }
        List<Member> rest = eligible().stream().filter(m -> !exclude.contains(m)).toList();
        return balancer.select(rest, key);
    }
}
