package io.ballast.dataplane.upstream;

import io.ballast.dataplane.health.HealthStatus;
import io.ballast.dataplane.health.OutlierDetector;
import io.ballast.dataplane.lb.LoadBalancer;
import io.ballast.dataplane.lb.RandomSource;
import io.ballast.dataplane.lb.RequestKey;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A pool of one routing table: its config, its members, its balancer, and the list of members that take
 * new requests now. The list is recomputed only when a health transition or ejection happened since it was
 * built, or an ejection it excluded has run out, so the per-request cost is a volatile read and a clock
 * read. When fewer than {@code panicThresholdPercent} of the enabled, probed members are eligible, the pool
 * is in panic mode and spreads traffic over all of them rather than pile it onto the survivors. Members in
 * their slow-start ramp are skipped by chance in proportion to how far they still have to go.
 * Thread-safe.
 */
public final class UpstreamPool {
    private final Pool config;
    private final List<Member> members;
    private final LoadBalancer balancer;
    private final AtomicLong healthChanges;
    private final LongSupplier clock;
    private final OutlierDetector outliers;
    private final RetryBudget retryBudget;
    private final RetryRules retryRules;
    private volatile Candidates candidates = new Candidates(-1, Long.MIN_VALUE, List.of(), false);

    /**
     * @param validUntil epoch millis when the earliest ejection among the excluded ends (recompute then)
     */
    private record Candidates(long version, long validUntil, List<Member> members, boolean panic) {
    }

    UpstreamPool(Pool config, List<Member> members, LoadBalancer balancer, AtomicLong healthChanges, LongSupplier clock) {
        this.config = config;
        this.members = List.copyOf(members);
        this.balancer = balancer;
        this.healthChanges = healthChanges;
        this.clock = clock;
        List<HealthStatus> statuses = this.members.stream().map(m -> m.live().health()).toList();
        this.outliers = new OutlierDetector(config.outlierDetection(), statuses, clock);
        this.retryBudget = new RetryBudget(config.retries().budgetPercent(), clock);
        this.retryRules = new RetryRules(config.retries());
    }

    /** Builds the pool of {@code config}, obtaining each address's live state from {@code live}. */
    public static UpstreamPool build(Pool config, LiveBackends live) {
        List<Member> members = new ArrayList<>();
        for (Backend b : config.backends()) {
            BackendKey key = new BackendKey(config.name(), b.host(), b.port());
            members.add(new Member(config.name(), b, live.obtain(key, config.healthCheck())));
        }
        return new UpstreamPool(config, members, LoadBalancer.forAlgorithm(config.algorithm(),
                config.stickyCookie() != null && !config.stickyCookie().isBlank(), RandomSource.threadLocal()),
                live.healthChanges(), live.clock());
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

    /** Passive health checking of this pool's members; the proxy reports every answer and failure here. */
    public OutlierDetector outliers() {
        return outliers;
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /** {@code retries} of the config, parsed. */
    public RetryRules retryRules() {
        return retryRules;
    }

    /** True while too few members are healthy and traffic is spread over all enabled ones. */
    public boolean panic() {
        return current().panic();
    }

    /** Members that may take new requests now. */
    public List<Member> eligible() {
        return current().members();
    }

    private Candidates current() {
        long version = healthChanges.get();
        Candidates c = candidates;
        long now = clock.getAsLong();
        if (c.version() != version || now >= c.validUntil()) {
            // Several threads may recompute at once after a transition; each result is correct, the last wins.
            c = compute(version, now);
            candidates = c;
        }
        return c;
    }

    private Candidates compute(long version, long now) {
        List<Member> healthy = new ArrayList<>();
        List<Member> known = new ArrayList<>();
        long validUntil = Long.MAX_VALUE;
        for (Member m : members) {
            HealthStatus health = m.live().health();
            long until = health.ejectedUntil();
            if (until != 0 && until <= now) {
                health.expireEjection();
            } else if (until > now) {
                validUntil = Math.min(validUntil, until);
            }
            if (m.enabled() && m.probed()) {
                known.add(m);
            }
            if (m.eligible(now)) {
                healthy.add(m);
            }
        }
        // Re-read the version: expiring an ejection above bumped it, and this list already reflects that.
        long seen = Math.max(version, healthChanges.get());
        boolean panic = !known.isEmpty() && healthy.size() * 100L < (long) config.panicThresholdPercent() * known.size();
        return new Candidates(seen, validUntil, List.copyOf(panic ? known : healthy), panic);
    }

    /** One member that may take the request, or null when none can. */
    public Member select() {
        return selectExcluding(List.of(), RequestKey.NONE);
    }

    /**
     * One member that may take the request and is not in {@code exclude} (a retry), or null; {@code key} steers
     * hashing and affinity.
     */
    public Member selectExcluding(Collection<Member> exclude, RequestKey key) {
        List<Member> rest = eligible();
        if (!exclude.isEmpty()) {
            rest = rest.stream().filter(m -> !exclude.contains(m)).toList();
        }
        Member chosen = balancer.select(rest, key);
        if (chosen != null && rest.size() > 1 && skippedBySlowStart(chosen)) {
            // A random other member, not the balancer's next: asking the balancer again would move its state
            // (a round-robin counter) and hand the ramping member the following request instead.
            List<Member> others = rest.stream().filter(m -> m != chosen).toList();
            return others.get(ThreadLocalRandom.current().nextInt(others.size()));
        }
        return chosen;
    }

    /**
     * Slow start: a member that began serving {@code t} ago takes only about {@code t / slowStart} of its share
     * (at least a tenth), so a backend with cold caches or a fresh JIT is not flooded at once.
     */
    private boolean skippedBySlowStart(Member m) {
        long ramp = config.slowStart().toMillis();
        if (ramp <= 0) {
            return false;
        }
        long elapsed = clock.getAsLong() - m.live().health().servingSince();
        if (elapsed >= ramp) {
            return false;
        }
        double share = Math.max(0.1, (double) elapsed / ramp);
        return ThreadLocalRandom.current().nextDouble() >= share;
    }
}
