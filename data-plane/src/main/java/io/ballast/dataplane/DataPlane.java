package io.ballast.dataplane;

import io.ballast.dataplane.address.AddressGate;
import io.ballast.dataplane.admin.AdminServer;
import io.ballast.dataplane.admin.StatusReport;
import io.ballast.dataplane.config.Backoff;
import io.ballast.dataplane.config.ControlPlaneClient;
import io.ballast.dataplane.config.SnapshotApplier;
import io.ballast.dataplane.ratelimit.FleetShare;
import io.ballast.dataplane.ratelimit.RateLimits;
import io.ballast.dataplane.config.SnapshotCache;
import io.ballast.dataplane.health.HealthChecker;
import io.ballast.dataplane.health.HealthStatus;
import io.ballast.dataplane.health.ProbeRelay;
import io.ballast.dataplane.health.Probe;
import io.ballast.dataplane.health.Probes;
import io.ballast.dataplane.lifecycle.Drain;
import io.ballast.dataplane.lifecycle.DrainState;
import io.ballast.dataplane.lifecycle.WarmUp;
import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.ProbesSinceLastHeartbeat;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.proxy.ProxyServer;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.dataplane.tls.BackendTlsStore;
import io.ballast.dataplane.tls.CertificateStore;
import io.ballast.dataplane.tls.ControlPlaneTrust;
import io.ballast.dataplane.tls.SessionTickets;
import io.ballast.dataplane.tls.TlsSettings;
import io.ballast.dataplane.upstream.HealthReporter;
import io.ballast.dataplane.upstream.LiveBackends;
import io.ballast.model.snapshot.SnapshotValidator;
import io.ballast.model.validation.AddressPolicy;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.wire.v1.HealthReport;
import io.ballast.wire.v1.Heartbeat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One running data plane: wires the config holder, live backend state, health checker, snapshot applier,
 * proxy, admin server and control-plane client together, and takes them down in the reverse order.
 * {@link #start} loads the cached snapshot before the proxy listens, so a restart with no control plane
 * reachable serves the last good config from its first request. Thread-safe.
 */
public final class DataPlane {
    /**
     * The longest wait between attempts to reach a control plane (with equal jitter: 2-4 s). 10 s made a fleet take 14.7 s
     * after a restarted control plane was ready (infra/bench/results/fleet-sim-20261202-1441.md); refused attempts
     * are cheap, so 100 data planes retrying every 2-4 s while it is down cost about 33 connects per second.
     */
    static final long RECONNECT_CEILING_MILLIS = 4_000;

    private static final System.Logger LOG = System.getLogger(DataPlane.class.getName());
    static final long REPORT_SCAN_MILLIS = 250;
    /** Longest wait, at start, for the cached config's backends to get their first health verdict. */
    static final java.time.Duration WARM_UP_BOUND = java.time.Duration.ofSeconds(10);

    private final DataPlaneSettings settings;
    private final Vertx vertx;
    private final ConfigHolder holder = new ConfigHolder();
    private final CertificateStore certificates = new CertificateStore();
    private final SessionTickets sessionTickets = new SessionTickets();
    private final BackendTlsStore backendTls = new BackendTlsStore();
    private final ControlPlaneTrust cpTrust;
    private long ticketTimer = -1;
    private final ProxyMetrics metrics;
    private final Probes probes;
    private final AddressGate addressGate;
    private final HealthChecker healthChecker;
    private final ProbeRelay probeRelay;
    private final SnapshotApplier applier;
    private final FleetShare fleetShare = new FleetShare();
    private final ProxyServer proxy;
    private final ProbesSinceLastHeartbeat probesSince = new ProbesSinceLastHeartbeat();
    private final AdminServer admin;
    private final AccessLog accessLog;
    private final HealthReporter reporter;
    private final DrainState drainState = new DrainState();
    private final Drain drain;
    private long reportTimer = -1;
    private volatile ControlPlaneClient controlPlane;
    private volatile ListenAddress adminAddress;
    private Future<Void> closing;

    private DataPlane(DataPlaneSettings settings, TlsSettings tls, ControlPlaneTrust cpTrust, Vertx vertx, AccessLog accessLog,
                      ProxyMetrics metrics) {
        this.cpTrust = cpTrust;
        this.metrics = metrics;
        this.settings = settings;
        this.vertx = vertx;
        this.accessLog = accessLog;
        LiveBackends live = new LiveBackends(System::currentTimeMillis);
        this.addressGate = AddressGate.system(vertx, new AddressPolicy(settings.allowPrivateAddresses()));
        this.probes = new Probes(vertx, addressGate, backendTls);
        Probe probe = probes;
        this.reporter = new HealthReporter(System::currentTimeMillis, observation -> {
            ControlPlaneClient cp = controlPlane;
            if (cp != null) {
                cp.reportHealth(observation);
            }
        });
        this.healthChecker = new HealthChecker(vertx, probe, () -> ThreadLocalRandom.current().nextDouble(), t -> reportHealth());
        this.probeRelay = new ProbeRelay(System::currentTimeMillis, this::healthByBackend, t -> reportHealth());
        healthChecker.probeOnly(probeRelay::probesHere);
        this.applier = new SnapshotApplier(vertx, holder, live, healthChecker, new SnapshotCache(settings.cacheDir()),
                SnapshotValidator.withDefaults(), certificates, sessionTickets, backendTls, new RateLimits(fleetShare));
        this.proxy = new ProxyServer(vertx, holder, metrics, settings.proxy(), accessLog, drainState, addressGate)
                .withTls(tls, certificates, sessionTickets)
                .withBackendTls(backendTls);
        this.drain = new Drain(vertx, drainState, settings.proxy().drainDelay(), this::leaveControlPlane, this::close);
        this.admin = new AdminServer(vertx, settings.nodeId(), holder, this::controlPlaneState, metrics, drain, applier.cacheStatus())
                .withCertificates(certificates);
    }

    /** Starts a data plane with a Vert.x instance of its own ({@code settings.eventLoops()} event loops). */
    public static Future<DataPlane> start(DataPlaneSettings settings) {
        TlsSettings tls;
        try {
            tls = TlsSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return start(settings, tls);
    }

    /** Like {@link #start(DataPlaneSettings)}, with TLS listeners as given (BALLAST_TLS_LISTEN otherwise). */
    public static Future<DataPlane> start(DataPlaneSettings settings, TlsSettings tls) {
        ControlPlaneTrust cpTrust;
        try {
            cpTrust = ControlPlaneTrust.fromValues(System.getenv(), settings.controlPlaneUrls());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return start(settings, tls, cpTrust);
    }

    /** Like {@link #start(DataPlaneSettings, TlsSettings)}, verifying {@code wss://} control planes with {@code cpTrust}. */
    public static Future<DataPlane> start(DataPlaneSettings settings, TlsSettings tls, ControlPlaneTrust cpTrust) {
        ProxyMetrics metrics = new ProxyMetrics();
        AccessLog accessLog;
        try {
            accessLog = AccessLog.open(settings.proxy().accessLog(), metrics);
        } catch (IOException e) {
            return Future.failedFuture(new IllegalStateException("BALLAST_ACCESS_LOG: cannot open '"
                    + settings.proxy().accessLog() + "': " + e.getMessage(), e));
        }
        // Native epoll where the platform has it (Linux x86_64 is bundled); the proxy runs on these event loops.
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(settings.eventLoops()))
                .withTransport(Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO)
                .build();
        DataPlane dp = new DataPlane(settings, tls, cpTrust, vertx, accessLog, metrics);
        return dp.startAll().map(dp).recover(error -> vertx.close().transform(ignored -> Future.failedFuture(error)));
    }

    private Future<Void> startAll() {
        LOG.log(System.Logger.Level.INFO, "starting Ballast data plane {0}: {1} transport={2}", Version.current(), settings.describe(),
                vertx.isNativeTransportEnabled() ? "epoll" : "nio");
        // Ejections end and admin states change without a probe, so look for changes often (cheap: no I/O).
        reportTimer = vertx.setPeriodic(REPORT_SCAN_MILLIS, id -> reportHealth());
        // Session-ticket keys change every 12 h; a minute's look is enough (the neighbours' keys still decrypt).
        ticketTimer = vertx.setPeriodic(60_000, id -> sessionTickets.rotate(java.time.Instant.now()));
        return applier.applyCache()
                // With SO_REUSEPORT a new process gets connections as soon as it listens: let the cached config's
                // backends get their first verdicts first (a restart next to a draining process answers no 503).
                .compose(cached -> settings.proxy().reusePort()
                        ? WarmUp.untilPoolsCanServe(vertx, holder::current, WARM_UP_BOUND) : Future.<Void>succeededFuture())
                .compose(warm -> proxy.start(settings.listen(), settings.eventLoops()))
                .compose(proxyAddresses -> admin.start(settings.adminListen()).map(adminBound -> {
                    adminAddress = adminBound;
                    LOG.log(System.Logger.Level.INFO, "Ballast data plane listening: proxy={0} admin={1}", proxyAddresses, adminBound);
                    return null;
                }))
                .compose(v -> {
                    if (!settings.controlPlaneUrls().isEmpty()) {
                        ControlPlaneClient cp = new ControlPlaneClient(vertx, settings.controlPlaneUrls(), settings.token(),
                                new ControlPlaneClient.Identity(settings.nodeId(), Version.hostname(), Version.current(), settings.labels()),
                                applier, holder, this::heartbeat, this::currentHealth,
                                new Backoff(200, RECONNECT_CEILING_MILLIS, () -> ThreadLocalRandom.current().nextDouble()), cpTrust)
                                .withFleetShare(fleetShare)
                                .withProbeRelay(probeRelay);
                        controlPlane = cp;
                        cp.start();
                    } else {
                        LOG.log(System.Logger.Level.INFO, "no control-plane URL: serving only local or cached configuration");
                    }
                    return Future.succeededFuture();
                });
    }

    /** Reports every backend whose state changed (health, ejection, admin state) since the last scan. */
    private void reportHealth() {
        ActiveConfig current = holder.current();
        if (current != null) {
            reporter.scan(current.table().pools());
        }
    }

    /** The health status of each configured backend by {@code pool/backend}: where relayed verdicts go. */
    private Map<String, HealthStatus> healthByBackend() {
        ActiveConfig current = holder.current();
        if (current == null) {
            return Map.of();
        }
        Map<String, HealthStatus> out = new HashMap<>();
        for (UpstreamPool pool : current.table().pools()) {
            for (Member m : pool.members()) {
                out.put(ProbeRelay.key(pool.name(), m.backend().name()), m.live().health());
            }
        }
        return out;
    }

    /** What every backend reports now, for the hello (which replaces this node's stored health). */
    private List<HealthReport.Observation> currentHealth() {
        ActiveConfig current = holder.current();
        if (current == null) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        List<HealthReport.Observation> result = new ArrayList<>();
        for (UpstreamPool pool : current.table().pools()) {
            for (Member m : pool.members()) {
                HealthReporter.Reported r = HealthReporter.reported(m, now);
                long changed = m.live().health().lastChangeAt();
                result.add(new HealthReport.Observation(pool.name(), m.backend().name(), r.state(), r.reason(), changed > 0 ? changed : now,
                        m.inFlight()));
            }
        }
        return result;
    }

    private Heartbeat heartbeat() {
        ActiveConfig current = holder.current();
        return new Heartbeat(current == null ? null : current.revision(), current == null ? null : current.hash(),
                ProxyMetrics.inFlight(current), metrics.counters(), metrics.latency(current), metrics.durations(),
                proxy.openConnections(current), proxy.queued(current), probesSince.take(current), metrics.targets());
    }

    private StatusReport.ControlPlaneState controlPlaneState() {
        ControlPlaneClient cp = controlPlane;
        return cp == null ? new StatusReport.ControlPlaneState(false, null) : new StatusReport.ControlPlaneState(cp.connected(), cp.url());
    }

    /** A draining node takes no new config; its successor (same node id, e.g. the other systemd slot) does. */
    private void leaveControlPlane() {
        ControlPlaneClient cp = controlPlane;
        if (cp != null) {
            cp.stop();
        }
    }

    /** The path every config takes (control plane, cache, or a test applying one directly). */
    public SnapshotApplier applier() {
        return applier;
    }

    /** The connect-time address check (shared policy on resolved addresses) the health checks use, for the proxy too. */
    public AddressGate addressGate() {
        return addressGate;
    }

    /** The server certificates of the applied snapshot (for the TLS listener and /status). */
    public CertificateStore certificates() {
        return certificates;
    }

    /** Which backends this node leaves to other probers now (prober sharding). */
    public ProbeRelay probeRelay() {
        return probeRelay;
    }

    /** This node's share of {@code scope: fleet} rate limits, as the control plane last said. */
    public FleetShare fleetShare() {
        return fleetShare;
    }

    public ConfigHolder config() {
        return holder;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** TLS proxy addresses as bound (BALLAST_TLS_LISTEN); empty when unset. */
    public List<ListenAddress> tlsAddresses() {
        return proxy.boundTlsAddresses();
    }

    /** Proxy addresses as bound (real ports when 0 was asked). */
    public List<ListenAddress> proxyAddresses() {
        return proxy.boundAddresses();
    }

    public ListenAddress adminAddress() {
        return adminAddress;
    }

    /**
     * Leaves service gracefully (SIGTERM, {@code POST /drain}): {@code /ready} answers 503 at once, the proxy keeps
     * serving for the drain delay, then {@link #close} runs. The future completes when everything is closed.
     */
    public Future<Void> drain() {
        return drain.start();
    }

    /** The drain sequence of this node (its state, and a future for its end). */
    public Drain drainer() {
        return drain;
    }

    /** Stops talking to the control plane, stops accepting, lets requests in flight finish (bounded), then closes everything. */
    public synchronized Future<Void> close() {
        // Once only: a drain ends in a close, and a caller (a test, the embedding code) may close again after it.
        if (closing == null) {
            closing = closeOnce();
        }
        return closing;
    }

    private Future<Void> closeOnce() {
        LOG.log(System.Logger.Level.INFO, "stopping Ballast data plane {0}", settings.nodeId());
        ControlPlaneClient cp = controlPlane;
        if (cp != null) {
            cp.stop();
        }
        vertx.cancelTimer(reportTimer);
        vertx.cancelTimer(ticketTimer);
        healthChecker.close();
        return proxy.stop()
                .eventually(admin::stop)
                .eventually(probes::close)
                .eventually(vertx::close)
                .eventually(() -> {
                    accessLog.close();
                    return Future.succeededFuture();
                })
                .onComplete(ar -> LOG.log(System.Logger.Level.INFO, "Ballast data plane stopped"));
    }
}
