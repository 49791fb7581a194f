package io.ballast.dataplane.config;

import io.ballast.dataplane.ratelimit.FleetShare;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.health.ProbeRelay;
import io.ballast.wire.v1.Gzip;
import io.ballast.wire.v1.HealthReport;
import io.ballast.wire.v1.Heartbeat;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Ping;
import io.ballast.wire.v1.ProbeAssignment;
import io.ballast.wire.v1.ProbeVerdicts;
import io.ballast.wire.v1.RateLimitShare;
import io.ballast.wire.v1.SnapshotDelta;
import io.ballast.wire.v1.SnapshotPush;
import io.ballast.wire.v1.UnknownMessage;
import io.ballast.wire.v1.WireCodec;
import io.ballast.wire.v1.WireMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.ballast.dataplane.tls.ControlPlaneTrust;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The data plane's side of wire protocol v1: dials {@code /api/v1/dataplanes/connect} on one control-plane
 * URL after another, says hello (announcing that it takes {@code delta} frames), applies pushed snapshots
 * and deltas through the {@link SnapshotApplier} and answers ack/nack (or {@code resync} for a delta it
 * cannot apply), sends heartbeats every 5 s and batched health transitions, and reconnects with backoff and
 * jitter whenever the socket drops. Knows nothing of routing beyond the applied revision and hash.
 * Thread-safe: state changes happen on the client's event loop; status is read through volatile fields.
 */
public final class ControlPlaneClient {
    private static final System.Logger LOG = System.getLogger(ControlPlaneClient.class.getName());
    static final String CONNECT_PATH = "/api/v1/dataplanes/connect";
    static final long HEARTBEAT_MILLIS = 5_000;
    static final long HEALTH_FLUSH_MILLIS = 1_000;
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    /**
     * A config change can move thousands of backends at once; 100 observations stay well under the
     * 64 KiB frame limit a WebSocket server has by default (an older control plane included).
     */
    static final int MAX_OBSERVATIONS_PER_REPORT = 100;

    /** Who this node is, as said in {@code hello}. */
    public record Identity(String nodeId, String hostname, String version, Map<String, String> labels) {
    }

    private final Vertx vertx;
    /** One context (one event loop) for every callback, so the fields below need no locks. */
    private final Context context;
    private final List<URI> urls;
    private final String token;
    private final Identity identity;
    private final SnapshotApplier applier;
    private final ConfigHolder holder;
    private final Supplier<Heartbeat> heartbeats;
    private final Supplier<List<HealthReport.Observation>> currentHealth;
    private final Backoff backoff;
    private final WebSocketClient client;
    private final List<HealthReport.Observation> pendingHealth = new ArrayList<>();

    private int nextUrl;
    private long heartbeatTimer = -1;
    private long healthTimer = -1;
    private long reconnectTimer = -1;
    private volatile boolean stopped;
    private volatile WebSocket socket;
    private volatile String connectedUrl;
    private volatile long lastPingAt;
    /** Where a {@code rate-limit-share} goes; null: this client does not announce the feature. */
    private volatile FleetShare fleetShare;
    /** Where {@code probe-assignment} and {@code probe-verdicts} go; null: this client does not announce the feature. */
    private volatile ProbeRelay probeRelay;

    public ControlPlaneClient(Vertx vertx, List<URI> urls, String token, Identity identity, SnapshotApplier applier,
                              ConfigHolder holder, Supplier<Heartbeat> heartbeats, Backoff backoff) {
        this(vertx, urls, token, identity, applier, holder, heartbeats, () -> null, backoff);
    }

    /**
     * @param currentHealth the full current health of every backend, sent in each {@code hello}: the
     *                      control plane replaces what this node reported before with it, so transitions
     *                      that happened while disconnected (and dropped then) are not lost; null sends none
     */
    public ControlPlaneClient(Vertx vertx, List<URI> urls, String token, Identity identity, SnapshotApplier applier,
                              ConfigHolder holder, Supplier<Heartbeat> heartbeats,
                              Supplier<List<HealthReport.Observation>> currentHealth, Backoff backoff) {
        this(vertx, urls, token, identity, applier, holder, heartbeats, currentHealth, backoff, ControlPlaneTrust.NONE);
    }

    /** @param trust how {@code wss://} control planes are verified (a CA or a pinned certificate) */
    public ControlPlaneClient(Vertx vertx, List<URI> urls, String token, Identity identity, SnapshotApplier applier,
                              ConfigHolder holder, Supplier<Heartbeat> heartbeats,
                              Supplier<List<HealthReport.Observation>> currentHealth, Backoff backoff, ControlPlaneTrust trust) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one control-plane URL is needed");
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.urls = List.copyOf(urls);
        this.token = token;
        this.identity = identity;
        this.applier = applier;
        this.holder = holder;
        this.heartbeats = heartbeats;
        this.currentHealth = currentHealth;
        this.backoff = backoff;
        this.client = vertx.createWebSocketClient(trust.configure(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_MESSAGE_BYTES)
                .setMaxMessageSize(MAX_MESSAGE_BYTES)
                .setConnectTimeout(5_000)));
    }

    /**
     * Enforce the {@code rate-limit-share} control planes send (announced in the hello from the next connection
     * on). The share is kept through disconnects: with no control plane the last one keeps applying.
     */
    public ControlPlaneClient withFleetShare(FleetShare share) {
        this.fleetShare = share;
        return this;
    }

    /**
     * Probe only what the control plane's {@code probe-assignment} leaves this node and apply relayed verdicts to the
     * rest (announced in the hello from the next connection on). Dropped whenever the connection closes.
     */
    public ControlPlaneClient withProbeRelay(ProbeRelay relay) {
        this.probeRelay = relay;
        return this;
    }

    /** {@code ws://host:port/base/api/v1/dataplanes/connect} for {@code http://host:port/base}; wss for https. */
    static String connectUrl(URI base) {
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = base.getPort() < 0 ? "" : ":" + base.getPort();
        return scheme + "://" + base.getHost() + port + path + CONNECT_PATH;
    }

    public void start() {
        // Timers set and futures created on the context fire on it.
        context.runOnContext(v -> {
            heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> sendHeartbeat());
            healthTimer = vertx.setPeriodic(HEALTH_FLUSH_MILLIS, id -> flushHealth());
            connect();
        });
    }

    public boolean connected() {
        return socket != null;
    }

    /** The URL of the open connection, or of the last one tried when none is open. */
    public String url() {
        return connectedUrl;
    }

    /** Epoch millis of the last ping, 0 when none came. */
    public long lastPingAt() {
        return lastPingAt;
    }

    /** Queues a health transition; sent within a second, batched, while connected (dropped otherwise). */
    public void reportHealth(HealthReport.Observation observation) {
        synchronized (pendingHealth) {
            pendingHealth.add(observation);
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        URI base = urls.get(nextUrl);
        nextUrl = (nextUrl + 1) % urls.size();
        String url = connectUrl(base);
        connectedUrl = url;
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url).setConnectTimeout(5_000);
        if (!token.isEmpty()) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        client.connect(options).onComplete(ar -> {
            if (ar.failed()) {
                scheduleReconnect("could not connect to control plane " + url + ": " + ar.cause().getMessage());
                return;
            }
            if (stopped) {
                ar.result().close();
                return;
            }
            opened(ar.result(), url);
        });
    }

    private void opened(WebSocket ws, String url) {
        socket = ws;
        backoff.reset();
        ws.textMessageHandler(this::onFrame);
        ws.binaryMessageHandler(this::onCompressedFrame);
        // A reset or closed socket also closes it: the close handler says so in one WARNING line, with the reason.
        ws.exceptionHandler(err -> LOG.log(System.Logger.Level.DEBUG, "control plane connection error: " + err));
        ws.closeHandler(v -> {
            if (socket == ws) {
                socket = null;
                ProbeRelay relay = probeRelay;
                if (relay != null) {
                    relay.lost();
                }
                // The reason says why a control plane turned us away (e.g. an unsupported version).
                String reason = ws.closeReason() == null || ws.closeReason().isEmpty() ? "" : ": " + ws.closeReason();
                scheduleReconnect("control plane connection to " + url + " closed (status " + ws.closeStatusCode() + reason + ")");
            }
        });
        ActiveConfig current = holder.current();
        // Transitions queued before this hello are older than the full state it carries.
        synchronized (pendingHealth) {
            pendingHealth.clear();
        }
        send(new Hello(identity.nodeId(), identity.hostname(), identity.version(), identity.labels(),
                current == null ? null : current.revision(), current == null ? null : current.hash(), currentHealth.get(),
                features()));
        LOG.log(System.Logger.Level.INFO, "connected to control plane {0} as node {1}", url, identity.nodeId());
    }

    private List<String> features() {
        List<String> features = new ArrayList<>(List.of(Hello.DELTA, Hello.GZIP));
        if (fleetShare != null) {
            features.add(Hello.RATE_LIMIT_SHARE);
        }
        if (probeRelay != null) {
            features.add(Hello.PROBE_ASSIGNMENT);
        }
        return features;
    }

    private void scheduleReconnect(String why) {
        if (stopped) {
            return;
        }
        long delay = backoff.nextDelayMillis();
        LOG.log(System.Logger.Level.WARNING, "{0}; retrying in {1} ms", why, delay);
        reconnectTimer = vertx.setTimer(Math.max(1, delay), id -> connect());
    }

    /** A large frame sent as gzip ({@link Gzip}). */
    private void onCompressedFrame(Buffer message) {
        byte[] bytes = message.getBytes();
        decodeInOrder(() -> WireCodec.decode(Gzip.decompress(bytes, MAX_MESSAGE_BYTES)));
    }

    private void onFrame(String frame) {
        decodeInOrder(() -> WireCodec.decode(frame));
    }

    /**
     * Decodes on a worker (parsing megabytes of config is no work for the event loop), one frame after the
     * other (ordered), so frames are handled on the context in the order they arrived: a delta must never
     * overtake the snapshot it is based on.
     */
    private void decodeInOrder(java.util.concurrent.Callable<WireMessage> decode) {
        vertx.executeBlocking(decode, true)
                .onSuccess(this::onMessage)
                .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "ignoring a frame from the control plane: {0}", e.getMessage()));
    }

    private void onMessage(WireMessage message) {
        if (message instanceof SnapshotPush push) {
            LOG.log(System.Logger.Level.INFO, "received snapshot revision={0} hash={1}", push.revision(), push.hash());
            applier.apply(push, SnapshotApplier.Source.CONTROL_PLANE)
                    .onSuccess(result -> result.reply().ifPresent(this::send));
        } else if (message instanceof SnapshotDelta delta) {
            LOG.log(System.Logger.Level.INFO, "received delta revision={0} hash={1} from base revision={2} ({3} changes)",
                    delta.revision(), delta.hash(), delta.baseRevision(), delta.changes().size());
            applier.applyDelta(delta).onSuccess(result -> result.reply().ifPresent(this::send));
        } else if (message instanceof Ping ping) {
            // v1 has no pong: the WebSocket itself shows liveness, the ping only tells us the peer is there.
            lastPingAt = System.currentTimeMillis();
        } else if (message instanceof RateLimitShare share) {
            FleetShare target = fleetShare;
            if (target != null) {
                RateLimitShare before = target.last();
                target.set(share);
                if (!share.equals(before)) {
                    LOG.log(System.Logger.Level.INFO, "fleet rate limits: enforcing {0} of each here ({1} data plane(s))",
                            share.share(), share.dataPlanes());
                }
            }
        } else if (message instanceof ProbeAssignment assignment) {
            ProbeRelay relay = probeRelay;
            if (relay != null && socket != null) {
                relay.assign(assignment);
            }
        } else if (message instanceof ProbeVerdicts verdicts) {
            ProbeRelay relay = probeRelay;
            if (relay != null && socket != null) {
                relay.apply(verdicts);
            }
        } else if (message instanceof UnknownMessage unknown) {
            LOG.log(System.Logger.Level.INFO, "ignoring control-plane message of unknown type ''{0}''", unknown.type());
        } else {
            LOG.log(System.Logger.Level.INFO, "ignoring unexpected control-plane message {0}", message.getClass().getSimpleName());
        }
    }

    private void sendHeartbeat() {
        if (socket != null) {
            send(heartbeats.get());
        }
    }

    private void flushHealth() {
        List<HealthReport.Observation> batch;
        synchronized (pendingHealth) {
            if (pendingHealth.isEmpty()) {
                return;
            }
            batch = List.copyOf(pendingHealth);
            pendingHealth.clear();
        }
        if (socket != null) {
            for (int from = 0; from < batch.size(); from += MAX_OBSERVATIONS_PER_REPORT) {
                send(new HealthReport(batch.subList(from, Math.min(batch.size(), from + MAX_OBSERVATIONS_PER_REPORT))));
            }
        }
    }

    private void send(WireMessage message) {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        ws.writeTextMessage(WireCodec.encode(message)).onFailure(err ->
                LOG.log(System.Logger.Level.WARNING, "could not send {0} to the control plane: {1}",
                        message.getClass().getSimpleName(), err.getMessage()));
    }

    public void stop() {
        stopped = true;
        vertx.cancelTimer(heartbeatTimer);
        vertx.cancelTimer(healthTimer);
        vertx.cancelTimer(reconnectTimer);
        WebSocket ws = socket;
        socket = null;
        ProbeRelay relay = probeRelay;
        if (relay != null) {
            relay.lost();
        }
        if (ws != null) {
            ws.close();
        }
        client.close();
    }
}
