package io.ballast.dataplane.config;

import io.ballast.dataplane.health.HealthChecker;
import io.ballast.dataplane.health.HealthTarget;
import io.ballast.dataplane.ratelimit.FleetShare;
import io.ballast.dataplane.ratelimit.RateLimits;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.routing.RoutingTable;
import io.ballast.dataplane.tls.BackendTlsContexts;
import io.ballast.dataplane.tls.BackendTlsStore;
import io.ballast.dataplane.tls.CertificateStore;
import io.ballast.dataplane.tls.SessionTickets;
import io.ballast.dataplane.tls.ServerCertificates;
import io.ballast.dataplane.upstream.BackendKey;
import io.ballast.dataplane.upstream.LiveBackends;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotIndex;
import io.ballast.model.snapshot.SnapshotValidator;
import io.ballast.model.validation.Violation;
import io.ballast.wire.v1.SnapshotDelta;
import io.ballast.wire.v1.SnapshotPush;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one path by which a config becomes active, whether it comes from the control plane, the cache or a
 * test: validate (and check the hash), build the routing table off the event loop, swap it in, tell the
 * health checker, write the cache, and say how it went. One snapshot is applied at a time; snapshots that
 * arrive meanwhile collapse to the newest, and the ones it replaces are answered {@link ApplyResult.Superseded}.
 * Thread-safe.
 */
public final class SnapshotApplier {
    private static final System.Logger LOG = System.getLogger(SnapshotApplier.class.getName());

    /** Where a snapshot came from; decides whether it is written back to the cache. */
    public enum Source {
        CONTROL_PLANE("control-plane"), CACHE("cache"), LOCAL("local");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Vertx vertx;
    private final ConfigHolder holder;
    private final LiveBackends live;
    private final HealthChecker healthChecker;
    private final SnapshotCache cache;
    private final CacheStatus cacheStatus = new CacheStatus();
    private final SnapshotValidator validator;
    private final CertificateStore certificates;
    private final SessionTickets tickets;
    private final BackendTlsStore backendTls;
    private final RateLimits rateLimits;

    private boolean busy;
    private Pending pending;
    /** The last few configs applied here: the bases a delta may name (one may be in flight while the next is sent). */
    private final AppliedHistory history = new AppliedHistory();

    /** A full snapshot, or a delta ({@code delta} set, {@code push} null) resolved when its turn comes. */
    private record Pending(SnapshotPush push, SnapshotDelta delta, Source source, Promise<ApplyResult> promise) {
        long revision() {
            return push != null ? push.revision() : delta.revision();
        }

        String hash() {
            return push != null ? push.hash() : delta.hash();
        }
    }

    public SnapshotApplier(Vertx vertx, ConfigHolder holder, LiveBackends live, HealthChecker healthChecker,
                           SnapshotCache cache, SnapshotValidator validator) {
        this(vertx, holder, live, healthChecker, cache, validator, new CertificateStore());
    }

    /** @param certificates where the snapshot's server certificates are installed for the TLS listener */
    public SnapshotApplier(Vertx vertx, ConfigHolder holder, LiveBackends live, HealthChecker healthChecker,
                           SnapshotCache cache, SnapshotValidator validator, CertificateStore certificates) {
        this(vertx, holder, live, healthChecker, cache, validator, certificates, new SessionTickets());
    }

    public SnapshotApplier(Vertx vertx, ConfigHolder holder, LiveBackends live, HealthChecker healthChecker,
                           SnapshotCache cache, SnapshotValidator validator, CertificateStore certificates,
                           SessionTickets tickets) {
        this(vertx, holder, live, healthChecker, cache, validator, certificates, tickets, new BackendTlsStore());
    }

    /**
     * @param tickets    given the session-ticket secret a snapshot carries (shared TLS resumption across the fleet)
     * @param backendTls where the pools' backend TLS contexts are installed for backend connections and health checks
     */
    public SnapshotApplier(Vertx vertx, ConfigHolder holder, LiveBackends live, HealthChecker healthChecker,
                           SnapshotCache cache, SnapshotValidator validator, CertificateStore certificates,
                           SessionTickets tickets, BackendTlsStore backendTls) {
        this(vertx, holder, live, healthChecker, cache, validator, certificates, tickets, backendTls, new RateLimits(new FleetShare()));
    }

    /** @param rateLimits the routes' rate limiters, kept from one snapshot to the next when a route's limit is unchanged */
    public SnapshotApplier(Vertx vertx, ConfigHolder holder, LiveBackends live, HealthChecker healthChecker,
                           SnapshotCache cache, SnapshotValidator validator, CertificateStore certificates,
                           SessionTickets tickets, BackendTlsStore backendTls, RateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.tickets = tickets;
        this.backendTls = backendTls;
        this.certificates = certificates;
        this.vertx = vertx;
        this.holder = holder;
        this.live = live;
        this.healthChecker = healthChecker;
        this.cache = cache;
        this.validator = validator;
    }

    /** Applies {@code push}; the future completes (never fails) once it is active, refused or superseded. */
    public Future<ApplyResult> apply(SnapshotPush push, Source source) {
        return enqueue(new Pending(push, null, source, Promise.promise()));
    }

    /**
     * Applies the config {@code delta} describes: its changes put into the config of its base revision (one
     * of the last few applied here), checked against its hash, then applied like a full snapshot. Completes
     * with {@link ApplyResult.Unresolvable} when there is no such base or the hash differs.
     */
    public Future<ApplyResult> applyDelta(SnapshotDelta delta) {
        return enqueue(new Pending(null, delta, Source.CONTROL_PLANE, Promise.promise()));
    }

    private Future<ApplyResult> enqueue(Pending next) {
        Promise<ApplyResult> promise = next.promise();
        Pending replaced = null;
        boolean start;
        synchronized (this) {
            if (busy) {
                replaced = pending;
                pending = next;
                start = false;
            } else {
                busy = true;
                start = true;
            }
        }
        if (replaced != null) {
            LOG.log(System.Logger.Level.INFO, "snapshot revision={0} superseded by revision={1} before it was applied",
                    replaced.revision(), next.revision());
            replaced.promise().complete(new ApplyResult.Superseded(replaced.revision(), replaced.hash()));
        }
        if (start) {
            run(next);
        }
        return promise.future();
    }

    /** Loads the cache file, if there is a trustworthy one, and applies it. Empty when none was applied. */
    public Future<ApplyResult> applyCache() {
        return vertx.executeBlocking(cache::load, false).compose(loaded -> {
            if (loaded.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "no cached snapshot at {0}", cache.file());
                return Future.succeededFuture(null);
            }
            CachedSnapshot c = loaded.get();
            return apply(new SnapshotPush(c.revision(), c.hash(), c.config(), c.privateKeys()), Source.CACHE);
        }, error -> {
            LOG.log(System.Logger.Level.WARNING, "refusing corrupted snapshot cache: {0}", error.getMessage());
            return Future.succeededFuture(null);
        });
    }

    private void run(Pending job) {
        // ordered=false: apply is already serialised here, and an unordered task does not queue behind
        // unrelated blocking work of the same context.
        vertx.executeBlocking(() -> job.push() != null ? applyNow(job.push(), job.source(), null, null) : applyDeltaNow(job.delta()), false)
                .otherwise(error -> {
                    LOG.log(System.Logger.Level.ERROR, "applying snapshot revision=" + job.revision() + " failed", error);
                    return new ApplyResult.Rejected(job.revision(), String.valueOf(job.hash()),
                            List.of(new Violation("config", "the data plane could not apply it: " + error)));
                })
                .onComplete(ar -> {
                    job.promise().complete(ar.result());
                    Pending next;
                    synchronized (this) {
                        next = pending;
                        pending = null;
                        busy = next != null;
                    }
                    if (next != null) {
                        run(next);
                    }
                });
    }

    /** Runs on a worker thread: the delta's config, from its base, applied as a full snapshot. */
    private ApplyResult applyDeltaNow(SnapshotDelta delta) {
        AppliedHistory.Resolved resolved;
        try {
            resolved = history.resolve(delta);
        } catch (AppliedHistory.UnresolvableDeltaException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot apply the delta to revision={0} (base revision={1}): {2}; asking for the full snapshot",
                    delta.revision(), delta.baseRevision(), e.getMessage());
            return new ApplyResult.Unresolvable(delta.revision(), delta.hash(), e.getMessage());
        }
        return applyNow(resolved.push(), Source.CONTROL_PLANE, resolved.index(), resolved.base());
    }

    /**
     * Runs on a worker thread.
     *
     * @param index the config already indexed (a resolved delta), or null to index it here
     * @param base  the validated config a resolved delta was applied to (its untouched items need no second
     *              check on their own), or null
     */
    private ApplyResult applyNow(SnapshotPush push, Source source, SnapshotIndex index, SnapshotIndex base) {
        long revision = push.revision();
        String hash = push.hash();
        ConfigSnapshot config = push.config();
        List<Violation> errors = new ArrayList<>();
        if (config == null) {
            errors.add(new Violation("config", "the snapshot has no config"));
        } else {
            errors.addAll(base == null ? validator.validate(config) : validator.validate(config, base::holds));
            if (index == null && errors.isEmpty()) {
                // Valid, so names are unique: the index hashes it as config.hash() would, and is the base of later deltas.
                index = SnapshotIndex.of(config);
            }
            String actual = index != null ? index.hash() : config.hash();
            if (!actual.equals(hash)) {
                errors.add(new Violation("hash", "does not match the config (its hash is " + actual + ")"));
            }
        }
        ServerCertificates serverCertificates = null;
        if (errors.isEmpty()) {
            // A certificate this node cannot load refuses the whole snapshot: the last good one keeps serving.
            ServerCertificates.Loaded loaded = ServerCertificates.load(config, push.privateKeys());
            if (loaded instanceof ServerCertificates.Loaded.Ok ok) {
                serverCertificates = ok.certificates();
            } else if (loaded instanceof ServerCertificates.Loaded.Refused refused) {
                errors.addAll(refused.errors());
            }
        }
        BackendTlsContexts backendContexts = null;
        if (errors.isEmpty()) {
            BackendTlsContexts.Loaded loaded = BackendTlsContexts.load(config, serverCertificates);
            if (loaded instanceof BackendTlsContexts.Loaded.Ok ok) {
                backendContexts = ok.contexts();
            } else if (loaded instanceof BackendTlsContexts.Loaded.Refused refused) {
                errors.addAll(refused.errors());
            }
        }
        if (push.sessionTicketSecret() != null && !SessionTickets.validSecret(push.sessionTicketSecret())) {
            errors.add(new Violation("sessionTicketSecret", "is not base64 of at least 32 bytes"));
        }
        if (!errors.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "rejected snapshot revision={0} hash={1} from {2}: {3}",
                    revision, hash, source.label(), errors);
            return new ApplyResult.Rejected(revision, String.valueOf(hash), errors);
        }

        if (push.sessionTicketSecret() != null) {
            // Before the unchanged-config answer below: a node serving its cache learns the secret on reconnect.
            tickets.useSecret(push.sessionTicketSecret());
        }
        ActiveConfig current = holder.current();
        if (current != null && current.hash().equals(hash)) {
            List<String> warnings = List.of();
            if (current.revision() != revision) {
                holder.swap(current.withRevision(revision, source.label()));
                warnings = writeCache(revision, hash, config, push, source);
            }
            LOG.log(System.Logger.Level.INFO, "snapshot revision={0} hash={1} already serving", revision, hash);
            history.remember(revision, hash, index, push.privateKeys());
            return new ApplyResult.Unchanged(revision, hash, warnings);
        }

        long started = System.nanoTime();
        RoutingTable table = RoutingTable.build(config, live, rateLimits);
        rateLimits.retainOnly(table.rateLimiters().stream().map(l -> l.route()).collect(java.util.stream.Collectors.toSet()));
        certificates.swap(serverCertificates);
        backendTls.swap(backendContexts);
        holder.swap(new ActiveConfig(revision, hash, config, table, source.label()));
        Set<BackendKey> keys = new HashSet<>();
        List<HealthTarget> targets = new ArrayList<>();
        for (UpstreamPool pool : table.pools()) {
            for (Member m : pool.members()) {
                keys.add(m.live().key());
                targets.add(new HealthTarget(m.live().key().id(), pool.name(), m.backend().name(), m.backend().host(),
                        m.backend().port(), pool.config().healthCheck(), m.live().health()));
            }
        }
        live.retainOnly(keys);
        healthChecker.reconcile(targets);
        history.remember(revision, hash, index, push.privateKeys());
        List<String> warnings = writeCache(revision, hash, config, push, source);
        LOG.log(System.Logger.Level.INFO, "applied snapshot revision={0} hash={1} source={2} pools={3} routes={4} in {5} ms",
                revision, hash, source.label(), config.pools().size(), config.routes().size(),
                (System.nanoTime() - started) / 1_000_000);
        return new ApplyResult.Applied(revision, hash, warnings);
    }

    /** Writes the cache; the warnings (none when it worked) go into the ack. */
    private List<String> writeCache(long revision, String hash, ConfigSnapshot config, SnapshotPush push, Source source) {
        if (source == Source.CACHE) {
            return List.of();
        }
        try {
            cache.write(revision, hash, config, push.privateKeys());
            cacheStatus.written(revision);
            return List.of();
        } catch (IOException | RuntimeException e) {
            // Serving the new config matters more than caching it; the next snapshot tries again. But say so:
            // a restart without a control plane would now serve an older config, or none.
            String warning = "cache-write-failed: could not write the snapshot cache " + cache.file() + ": " + e;
            cacheStatus.failed(revision, warning);
            LOG.log(System.Logger.Level.WARNING, warning);
            return List.of(warning);
        }
    }

    /** How the last cache writes went (for {@code /status}, {@code /metrics} and acks). */
    public CacheStatus cacheStatus() {
        return cacheStatus;
    }
}
