import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Many simulated data planes in one JVM, each speaking wire v1 to a control plane over its own real WebSocket
 * (java.net.http, nothing outside the JDK), plus the driver of the measurements that need their clock. Each one
 * says hello (features delta and gzip, its applied revision and hash on a reconnect), decodes text and gzip binary
 * frames, applies snapshots and deltas, acks each revision with its hash (or answers resync to a delta whose base
 * it does not hold), sends a heartbeat every 5 s shaped like a real data plane's (applied revision, in-flight 0 for
 * every backend, the request counters), and on every disconnect reconnects with the data plane's own backoff
 * (io.ballast.dataplane.config.Backoff: 200 ms doubling to 4 s, "equal jitter", reset on a successful open).
 *
 * It trusts the announced hash instead of recomputing it (so it costs the control plane what a data plane costs,
 * not the simulator what hashing 10 000 backends a hundred times costs); what it knows of each config (the backend
 * names, for the heartbeat) is kept once per hash and shared by all sessions.
 *
 * Driven by commands on stdin, one per line; answers one JSON line on stdout each:
 *   sync SECONDS         wait until every session acked the newest revision (REST GET /revisions?limit=1)
 *   writes N POOL        N backend writes to POOL (add "fleet-sim-extra", delete it, ...), one after the other: per
 *                        write the REST round trip, commit returned → last simulated ack (simulator clock),
 *                        → the real data planes serving it (their admin /status), and the control plane's own view
 *                        (GET /revisions/{n} propagation: commit → each node's ack, max over all nodes)
 *   mark                 the control plane is about to be restarted: connection events are counted from here
 *   resync SECONDS       wait until every session has reconnected after the mark and acked the newest revision
 *   quit
 *
 *   java FleetSimulator.java --cp http://127.0.0.1:9000 --dp-token T --admin-token A --data-planes 100
 *        [--real-admin http://127.0.0.1:9901,http://127.0.0.1:9902] [--node-prefix sim] [--heartbeat-in-flight all|nonzero]
 */
public final class FleetSimulator {
    static final long HEARTBEAT_MILLIS = 5_000;
    /**
     * Whether heartbeats list every backend's in-flight count, zeros included, as the data plane does now
     * (ProxyMetrics.inFlight), or only the non-zero ones (none here: simulated data planes carry no traffic), to
     * measure what the control plane costs without storing 10 000 zeros per heartbeat. {@code --heartbeat-in-flight}.
     */
    static volatile boolean inFlightZeros = true;
    static final long BACKOFF_INITIAL_MILLIS = 200;
    static final long BACKOFF_MAX_MILLIS = 4_000;
    static final int MAX_FRAME_BYTES = 64 << 20;

    /** What the simulator knows of a config: its backends by pool (names only), and the heartbeat's in-flight map. */
    record Known(Map<String, List<String>> backends, String inFlightJson) {
        static Known of(Map<String, List<String>> backends) {
            StringBuilder sb = new StringBuilder("{");
            backends.forEach((pool, names) -> names.forEach(n -> {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                Json.quote(sb, pool + "/" + n);
                sb.append(":0");
            }));
            return new Known(Collections.unmodifiableMap(backends), sb.append('}').toString());
        }
    }

    /** One event seen by a session, in both clocks: epoch millis (for other processes) and nanoTime (for spans). */
    record Event(String kind, int node, long epochMillis, long nanos, long revision) {
    }

    static final Map<String, Known> KNOWN = new ConcurrentHashMap<>();
    static final ConcurrentLinkedQueue<Event> EVENTS = new ConcurrentLinkedQueue<>();
    static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "fleet-sim-timer");
        t.setDaemon(true);
        return t;
    });

    static void event(String kind, int node, long revision) {
        EVENTS.add(new Event(kind, node, System.currentTimeMillis(), System.nanoTime(), revision));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            opts.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        URI cp = URI.create(opts.get("cp"));
        String dpToken = opts.get("dp-token");
        String adminToken = opts.get("admin-token");
        int n = Integer.parseInt(opts.getOrDefault("data-planes", "100"));
        String prefix = opts.getOrDefault("node-prefix", "sim");
        String inFlight = opts.getOrDefault("heartbeat-in-flight", "all");
        if (!inFlight.equals("all") && !inFlight.equals("nonzero")) {
            throw new IllegalArgumentException("--heartbeat-in-flight is all or nonzero, not " + inFlight);
        }
        inFlightZeros = inFlight.equals("all");
        List<URI> realAdmins = new ArrayList<>();
        for (String s : opts.getOrDefault("real-admin", "").split(",")) {
            if (!s.isBlank()) {
                realAdmins.add(URI.create(s.trim()));
            }
        }
        // One HTTP client (one selector thread) carries every session: the simulator must cost little beside the
        // control plane on the same machine. Its callbacks run on a small pool, so one large frame does not stall the rest.
        HttpClient wsClient = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fleet-sim-ws");
            t.setDaemon(true);
            return t;
        })).connectTimeout(Duration.ofSeconds(5)).build();
        URI connect = URI.create(cp.toString().replaceFirst("^http", "ws").replaceAll("/+$", "") + "/api/v1/dataplanes/connect");
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sessions.add(new Session(i, String.format("%s-%03d", prefix, i), connect, dpToken, wsClient));
        }
        Driver driver = new Driver(cp, adminToken, sessions, realAdmins);
        for (Session s : sessions) {
            s.start();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split("\\s+");
            String answer;
            try {
                answer = switch (cmd[0]) {
                    case "sync" -> driver.sync(Long.parseLong(cmd[1]));
                    case "writes" -> driver.writes(Integer.parseInt(cmd[1]), cmd[2]);
                    case "mark" -> driver.mark();
                    case "resync" -> driver.resync(Long.parseLong(cmd[1]));
                    case "quit" -> null;
                    default -> "{\"error\":\"unknown command\"}";
                };
            } catch (Exception e) {
                StringBuilder sb = new StringBuilder("{\"error\":");
                Json.quote(sb, e.toString());
                answer = sb.append('}').toString();
            }
            if (answer == null) {
                break;
            }
            System.out.println(answer);
            System.out.flush();
        }
        System.exit(0);
    }

    /** One simulated data plane: its socket, what it runs, its heartbeat timer and its reconnect policy. */
    static final class Session implements WebSocket.Listener {
        final int index;
        final String nodeId;
        final URI connect;
        final String token;
        final HttpClient client;
        /** The ceiling of the next reconnect delay: Backoff's state. Guarded by this. */
        long ceiling = BACKOFF_INITIAL_MILLIS;
        volatile WebSocket socket;
        volatile long appliedRevision = -1;
        volatile String appliedHash;
        volatile Known applied;
        /** Per revision, nanoTime of the ack sent (the frame received, applied and answered). */
        final Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
        final StringBuilder text = new StringBuilder();
        final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        /** The last send queued on the socket; guarded by this. */
        CompletableFuture<Object> sends = CompletableFuture.completedFuture(null);

        Session(int index, String nodeId, URI connect, String token, HttpClient client) {
            this.index = index;
            this.nodeId = nodeId;
            this.connect = connect;
            this.token = token;
            this.client = client;
        }

        void start() {
            // Real data planes start at different moments, so their heartbeats do not come in one burst: a random phase.
            long phase = ThreadLocalRandom.current().nextLong(HEARTBEAT_MILLIS);
            TIMERS.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_MILLIS + phase, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
            dial();
        }

        void dial() {
            event("attempt", index, 0);
            client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token)
                    .buildAsync(connect, this).whenComplete((ws, error) -> {
                        if (error != null) {
                            event("failed", index, 0);
                            reconnect();
                        }
                    });
        }

        /** As io.ballast.dataplane.config.Backoff: half the ceiling fixed, half random; the ceiling doubles to the maximum. */
        synchronized long nextDelayMillis() {
            long current = ceiling;
            ceiling = Math.min(BACKOFF_MAX_MILLIS, ceiling * 2);
            return current / 2 + (long) (ThreadLocalRandom.current().nextDouble() * (current / 2.0));
        }

        void reconnect() {
            TIMERS.schedule(this::dial, Math.max(1, nextDelayMillis()), TimeUnit.MILLISECONDS);
        }

        @Override
        public void onOpen(WebSocket ws) {
            synchronized (this) {
                ceiling = BACKOFF_INITIAL_MILLIS;
            }
            socket = ws;
            event("open", index, 0);
            StringBuilder hello = new StringBuilder("{\"type\":\"hello\",\"nodeId\":");
            Json.quote(hello, nodeId);
            hello.append(",\"hostname\":\"fleet-sim\",\"version\":\"0.1.0-fleet-sim\",\"labels\":{\"sim\":\"true\"}");
            if (appliedHash != null) {
                hello.append(",\"appliedRevision\":").append(appliedRevision).append(",\"appliedHash\":");
                Json.quote(hello, appliedHash);
            }
            hello.append(",\"features\":[\"delta\",\"gzip\"]}");
            send(hello.toString());
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                onFrame(frame);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                byte[] message = binary.toByteArray();
                binary.reset();
                onFrame(gunzip(message));
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed(ws);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed(ws);
        }

        private void closed(WebSocket ws) {
            if (socket == ws) {
                socket = null;
                event("closed", index, 0);
                reconnect();
            }
        }

        void onFrame(String frame) {
            Map<String, Object> m;
            try {
                m = new Json(frame).topLevel();
            } catch (RuntimeException e) {
                System.err.println(nodeId + ": ignoring a frame that is not JSON: " + e.getMessage());
                return;
            }
            String type = (String) m.get("type");
            if ("snapshot".equals(type)) {
                long revision = ((Number) m.get("revision")).longValue();
                String hash = (String) m.get("hash");
                Known known = KNOWN.get(hash);
                if (known == null) {
                    known = KNOWN.computeIfAbsent(hash, h -> Known.of(backendsOf(m.get("config"))));
                }
                applied(revision, hash, known);
            } else if ("delta".equals(type)) {
                long revision = ((Number) m.get("revision")).longValue();
                String hash = (String) m.get("hash");
                long baseRevision = ((Number) m.get("baseRevision")).longValue();
                Known base = applied;
                if (base == null || baseRevision != appliedRevision || !m.get("baseHash").equals(appliedHash)) {
                    StringBuilder resync = new StringBuilder("{\"type\":\"resync\",\"revision\":").append(revision).append(",\"reason\":");
                    Json.quote(resync, "fleet simulator holds revision " + appliedRevision + ", not the base " + baseRevision);
                    send(resync.append('}').toString());
                    return;
                }
                Known known = KNOWN.get(hash);
                if (known == null) {
                    known = KNOWN.computeIfAbsent(hash, h -> Known.of(applyChanges(base.backends(), m.get("changes"))));
                }
                applied(revision, hash, known);
            }
            // ping: v1 has no pong (the WebSocket shows liveness); other frames (rate-limit-share) need nothing here.
        }

        private void applied(long revision, String hash, Known known) {
            applied = known;
            appliedHash = hash;
            appliedRevision = revision;
            StringBuilder ack = new StringBuilder("{\"type\":\"ack\",\"revision\":").append(revision).append(",\"hash\":");
            Json.quote(ack, hash);
            send(ack.append('}').toString());
            ackedAt.putIfAbsent(revision, System.nanoTime());
            event("ack", index, revision);
        }

        void heartbeat() {
            Known known = applied;
            if (socket == null) {
                return;
            }
            StringBuilder hb = new StringBuilder("{\"type\":\"heartbeat\"");
            if (appliedHash != null) {
                hb.append(",\"appliedRevision\":").append(appliedRevision).append(",\"appliedHash\":");
                Json.quote(hb, appliedHash);
            }
            hb.append(",\"inFlight\":").append(known == null || !inFlightZeros ? "{}" : known.inFlightJson())
                    .append(",\"counters\":{\"requests\":0,\"responses1xx\":0,\"responses2xx\":0,\"responses3xx\":0,"
                            + "\"responses4xx\":0,\"responses5xx\":0,\"noRoute\":0,\"noHealthyBackend\":0,"
                            + "\"upstreamFailures\":0,\"timeouts\":0,\"retries\":0},\"latency\":{},\"connections\":{},\"queued\":{}}");
            send(hb.toString());
        }

        /**
         * Sends one whole text frame after the ones before it (the JDK client allows one outstanding send per socket),
         * without blocking the callback thread that delivers frames.
         */
        void send(String frame) {
            WebSocket ws = socket;
            if (ws == null) {
                return;
            }
            synchronized (this) {
                // A send on a dying socket is simply lost, as on a real data plane; the close handler reconnects.
                sends = sends.thenCompose(v -> ws.sendText(frame, true)).handle((v, e) -> null);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<String>> backendsOf(Object config) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (config instanceof Map<?, ?> c && c.get("pools") instanceof List<?> pools) {
            for (Object p : pools) {
                putPool(out, (Map<String, Object>) p);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<String>> applyChanges(Map<String, List<String>> base, Object changes) {
        Map<String, List<String>> out = new LinkedHashMap<>(base);
        if (changes instanceof Map<?, ?> c) {
            if (c.get("removedPools") instanceof List<?> removed) {
                removed.forEach(out::remove);
            }
            if (c.get("pools") instanceof List<?> pools) {
                for (Object p : pools) {
                    putPool(out, (Map<String, Object>) p);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static void putPool(Map<String, List<String>> out, Map<String, Object> pool) {
        List<String> names = new ArrayList<>();
        if (pool.get("backends") instanceof List<?> backends) {
            for (Object b : backends) {
                Map<String, Object> backend = (Map<String, Object>) b;
                Object name = backend.get("name");
                // A backend's name defaults to host:port (io.ballast.model.Backend).
                names.add(name != null ? name.toString() : backend.get("host") + ":" + backend.get("port"));
            }
        }
        out.put((String) pool.get("name"), List.copyOf(names));
    }

    static String gunzip(byte[] message) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message), 64 * 1024)) {
            byte[] all = in.readNBytes(MAX_FRAME_BYTES + 1);
            if (all.length > MAX_FRAME_BYTES) {
                throw new IOException("a compressed frame inflates beyond " + MAX_FRAME_BYTES + " bytes");
            }
            return new String(all, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The measurements: REST writes, waits on the sessions' acks, and the connection events around a restart. */
    static final class Driver {
        final URI cp;
        final String token;
        final List<Session> sessions;
        final List<URI> realAdmins;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long markNanos;
        long markEpoch;
        /** How long a write waits for the control plane to have recorded every node's ack. */
        long cpPatienceSeconds = 5;

        Driver(URI cp, String token, List<Session> sessions, List<URI> realAdmins) {
            this.cp = cp;
            this.token = token;
            this.sessions = sessions;
            this.realAdmins = realAdmins;
        }

        HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(cp.resolve("/api/v1" + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token);
            if (body != null) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        long latestRevision(long seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                try {
                    HttpResponse<String> r = call("GET", "/revisions?limit=1", null);
                    if (r.statusCode() == 200) {
                        List<?> items = (List<?>) new Json(r.body()).topLevel().get("items");
                        return ((Number) ((Map<?, ?>) items.get(0)).get("number")).longValue();
                    }
                } catch (IOException e) {
                    // The control plane is (re)starting: ask again.
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer from GET /revisions within " + seconds + " s");
                }
                Thread.sleep(100);
            }
        }

        String sync(long seconds) throws Exception {
            long t0 = System.nanoTime();
            long latest = latestRevision(seconds);
            long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
            while (sessions.stream().anyMatch(s -> s.appliedRevision < latest)) {
                if (System.nanoTime() > deadline) {
                    long behind = sessions.stream().filter(s -> s.appliedRevision < latest).count();
                    return "{\"event\":\"sync\",\"ok\":false,\"revision\":" + latest + ",\"behind\":" + behind + "}";
                }
                Thread.sleep(10);
            }
            return "{\"event\":\"sync\",\"ok\":true,\"revision\":" + latest + ",\"ms\":" + ms(System.nanoTime() - t0) + "}";
        }

        /** The revision a real data plane serves; -1 when it serves none, {@link #GONE} when it does not answer at all. */
        long realApplied(URI admin) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.resolve("/status")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Object rev = new Json(r.body()).topLevel().get("appliedRevision");
                return rev instanceof Number num ? num.longValue() : -1;
            } catch (java.net.ConnectException e) {
                return GONE;
            } catch (Exception e) {
                return -1;
            }
        }

        static final long GONE = Long.MIN_VALUE;
        /** Real data planes that stopped answering (their process exited): no longer waited for, and reported. */
        final java.util.Set<Integer> realGone = ConcurrentHashMap.newKeySet();

        String writes(int count, String pool) throws Exception {
            StringBuilder out = new StringBuilder("{\"event\":\"writes\",\"items\":[");
            int failures = 0;
            boolean first = true;
            for (int k = 0; k < count; k++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r;
                try {
                    r = k % 2 == 0
                            ? call("POST", "/pools/" + pool + "/backends", "{\"name\":\"fleet-sim-extra\",\"host\":\"127.0.0.1\",\"port\":30999}")
                            : call("DELETE", "/pools/" + pool + "/backends/fleet-sim-extra", null);
                } catch (IOException e) {
                    r = null; // no answer at all (the connection closed, or 60 s passed): recorded as status 0
                }
                long committed = System.nanoTime();
                int status = r == null ? 0 : r.statusCode();
                String header = r == null ? null : r.headers().firstValue("X-Ballast-Revision").orElse(null);
                if (status >= 300 || header == null) {
                    // Recorded, not fatal: a control plane that refuses writes under the fleet's load is a result too. The
                    // same write is tried again (the loop's k stays), a bounded number of times.
                    out.append(first ? "" : ",").append("{\"failed\":").append(status)
                            .append(",\"restMs\":").append(ms(committed - t0)).append('}');
                    first = false;
                    if (++failures > count) {
                        throw new IllegalStateException("more failed writes than writes asked for; the last answered " + status
                                + (r == null ? "" : ": " + r.body()));
                    }
                    k--;
                    Thread.sleep(500);
                    continue;
                }
                long revision = Long.parseLong(header);
                long deadline = committed + TimeUnit.SECONDS.toNanos(30);
                long lastSim = -1;
                long lastReal = -1;
                boolean[] realDone = new boolean[realAdmins.size()];
                while (System.nanoTime() < deadline && (lastSim < 0 || lastReal < 0)) {
                    if (lastSim < 0 && sessions.stream().allMatch(s -> s.ackedAt.containsKey(revision) || s.appliedRevision > revision)) {
                        lastSim = sessions.stream().mapToLong(s -> s.ackedAt.getOrDefault(revision, committed)).max().orElse(committed);
                    }
                    if (lastReal < 0) {
                        boolean all = true;
                        for (int i = 0; i < realDone.length; i++) {
                            if (!realDone[i] && !realGone.contains(i)) {
                                long applied = realApplied(realAdmins.get(i));
                                if (applied == GONE) {
                                    realGone.add(i);
                                }
                                realDone[i] = applied >= revision;
                            }
                            all &= realDone[i] || realGone.contains(i);
                        }
                        if (all) {
                            lastReal = System.nanoTime();
                        }
                    }
                    Thread.sleep(2);
                }
                // The control plane's own view: from the revision's commit to each node's answer, as it recorded them
                // (asked until every node's answer is recorded there, for at most 5 s: an ack can still be on its way).
                long cpMax = -1;
                int cpAcked = 0;
                int expected = sessions.size() + realAdmins.size() - realGone.size();
                long cpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cpPatienceSeconds);
                do {
                    cpMax = -1;
                    cpAcked = 0;
                    HttpResponse<String> detail;
                    try {
                        detail = call("GET", "/revisions/" + revision, null);
                    } catch (IOException e) {
                        detail = null;
                    }
                    if (detail != null && detail.statusCode() == 200 && new Json(detail.body()).topLevel().get("propagation") instanceof List<?> nodes) {
                        for (Object node : nodes) {
                            Map<?, ?> p = (Map<?, ?>) node;
                            if ("ACKED".equals(p.get("status")) && p.get("latencyMs") instanceof Number l) {
                                cpAcked++;
                                cpMax = Math.max(cpMax, l.longValue());
                            }
                        }
                    }
                    if (cpAcked < expected) {
                        Thread.sleep(200);
                    }
                } while (cpAcked < expected && System.nanoTime() < cpDeadline);
                if (cpAcked < expected) {
                    // The control plane does not record every ack (e.g. its database is saturated): look once per write from now on.
                    cpPatienceSeconds = 0;
                }
                out.append(first ? "" : ",").append("{\"revision\":").append(revision)
                        .append(",\"restMs\":").append(ms(committed - t0))
                        .append(",\"simLastAckMs\":").append(lastSim < 0 ? "null" : ms(lastSim - committed))
                        .append(",\"simFromSentMs\":").append(lastSim < 0 ? "null" : ms(lastSim - t0))
                        .append(",\"realLastMs\":").append(lastReal < 0 ? "null" : ms(lastReal - committed))
                        .append(",\"cpMaxLatencyMs\":").append(cpMax < 0 ? "null" : cpMax)
                        .append(",\"cpAcked\":").append(cpAcked).append(",\"realGone\":").append(realGone.size()).append('}');
                first = false;
            }
            return out.append("]}").toString();
        }

        String mark() {
            markNanos = System.nanoTime();
            markEpoch = System.currentTimeMillis();
            return "{\"event\":\"mark\",\"epochMs\":" + markEpoch + "}";
        }

        /** Every session reconnected after the mark and acked the newest revision on that connection. */
        String resync(long seconds) throws Exception {
            long deadline = markNanos + TimeUnit.SECONDS.toNanos(seconds);
            long latest = latestRevision(seconds);
            int n = sessions.size();
            while (true) {
                long[] opened = new long[n];
                long[] acked = new long[n];
                List<Event> after = new ArrayList<>();
                for (Event e : EVENTS) {
                    if (e.nanos() >= markNanos) {
                        after.add(e);
                    }
                }
                after.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
                for (Event e : after) {
                    if ("open".equals(e.kind())) {
                        opened[e.node()] = e.nanos();
                        acked[e.node()] = 0;
                    } else if ("ack".equals(e.kind()) && opened[e.node()] != 0 && e.revision() >= latest) {
                        acked[e.node()] = e.nanos();
                    }
                }
                int done = 0;
                for (int i = 0; i < n; i++) {
                    done += acked[i] != 0 ? 1 : 0;
                }
                boolean ok = done == n;
                if (ok || System.nanoTime() > deadline) {
                    return resyncReport(ok, done, latest, after);
                }
                Thread.sleep(20);
            }
        }

        String resyncReport(boolean ok, int done, long latest, List<Event> after) {
            long firstClose = Long.MAX_VALUE;
            long firstOpen = Long.MAX_VALUE;
            long lastOpen = 0;
            long lastAck = 0;
            int attempts = 0;
            int failed = 0;
            int opens = 0;
            List<Long> openTimes = new ArrayList<>();
            List<Long> attemptTimes = new ArrayList<>();
            for (Event e : after) {
                switch (e.kind()) {
                    case "closed" -> firstClose = Math.min(firstClose, e.nanos());
                    case "attempt" -> {
                        attempts++;
                        attemptTimes.add(e.nanos());
                    }
                    case "failed" -> failed++;
                    case "open" -> {
                        opens++;
                        openTimes.add(e.nanos());
                        firstOpen = Math.min(firstOpen, e.nanos());
                        lastOpen = Math.max(lastOpen, e.nanos());
                    }
                    case "ack" -> {
                        if (e.revision() >= latest) {
                            lastAck = Math.max(lastAck, e.nanos());
                        }
                    }
                    default -> {
                    }
                }
            }
            StringBuilder sb = new StringBuilder("{\"event\":\"resync\",\"ok\":").append(ok).append(",\"resynced\":").append(done)
                    .append(",\"sessions\":").append(sessions.size()).append(",\"revision\":").append(latest)
                    .append(",\"markEpochMs\":").append(markEpoch)
                    .append(",\"firstCloseMs\":").append(rel(firstClose))
                    .append(",\"firstOpenMs\":").append(rel(firstOpen))
                    .append(",\"lastOpenMs\":").append(rel(lastOpen == 0 ? Long.MAX_VALUE : lastOpen))
                    .append(",\"lastAckMs\":").append(rel(lastAck == 0 ? Long.MAX_VALUE : lastAck))
                    .append(",\"attempts\":").append(attempts).append(",\"failedAttempts\":").append(failed).append(",\"opens\":").append(opens)
                    .append(",\"peakOpensPerSecond\":").append(peakPerSecond(openTimes))
                    .append(",\"peakAttemptsPerSecond\":").append(peakPerSecond(attemptTimes))
                    .append(",\"opensPer500ms\":").append(histogram(openTimes, firstOpen)).append('}');
            return sb.toString();
        }

        String rel(long nanos) {
            return nanos == Long.MAX_VALUE ? "null" : String.valueOf(ms(nanos - markNanos));
        }

        /** The most events in any window of one second (sliding, starting at an event). */
        static int peakPerSecond(List<Long> times) {
            List<Long> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            int best = 0;
            int j = 0;
            for (int i = 0; i < sorted.size(); i++) {
                while (sorted.get(i) - sorted.get(j) >= 1_000_000_000L) {
                    j++;
                }
                best = Math.max(best, i - j + 1);
            }
            return best;
        }

        /** Opens per 500 ms from the first one: how spread the reconnects are (a herd is one tall bar). */
        static String histogram(List<Long> times, long from) {
            if (times.isEmpty()) {
                return "[]";
            }
            int buckets = (int) ((Collections.max(times) - from) / 500_000_000L) + 1;
            int[] counts = new int[buckets];
            for (long t : times) {
                counts[(int) ((t - from) / 500_000_000L)]++;
            }
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < counts.length; i++) {
                sb.append(i == 0 ? "" : ",").append(counts[i]);
            }
            return sb.append(']').toString();
        }

        static long ms(long nanos) {
            return TimeUnit.NANOSECONDS.toMillis(nanos);
        }
    }

    /** A small JSON reader (the JDK has none): objects become maps, arrays lists, numbers Long or Double. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        /**
         * The top-level object; the bulky {@code config} or {@code changes} of a frame whose {@code hash} is already
         * known is skipped, not built (every session gets the same snapshot; one of them reads it).
         */
        Map<String, Object> topLevel() {
            ws();
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                ws();
                String key = string();
                ws();
                expect(':');
                ws();
                if (("config".equals(key) || "changes".equals(key)) && m.get("hash") instanceof String h && KNOWN.containsKey(h)) {
                    skip();
                } else {
                    m.put(key, value());
                }
                ws();
                char c = s.charAt(i++);
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or } at " + (i - 1));
                }
            }
        }

        Object value() {
            ws();
            char c = peek();
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek() == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String key = string();
                        ws();
                        expect(':');
                        m.put(key, value());
                        ws();
                        char d = s.charAt(i++);
                        if (d == '}') {
                            return m;
                        }
                        if (d != ',') {
                            throw new IllegalArgumentException("expected , or } at " + (i - 1));
                        }
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek() == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        char d = s.charAt(i++);
                        if (d == ']') {
                            return l;
                        }
                        if (d != ',') {
                            throw new IllegalArgumentException("expected , or ] at " + (i - 1));
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    i += 4;
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    i += 5;
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    i += 4;
                    return null;
                }
                default -> {
                    int start = i;
                    boolean real = false;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        real |= ".eE".indexOf(s.charAt(i)) >= 0;
                        i++;
                    }
                    String num = s.substring(start, i);
                    if (num.isEmpty()) {
                        throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
                    }
                    return real ? (Object) Double.parseDouble(num) : (Object) Long.parseLong(num);
                }
            }
        }

        /** Skips one value without building it: strings are stepped over, brackets counted. */
        void skip() {
            int depth = 0;
            while (true) {
                char c = s.charAt(i);
                if (c == '"') {
                    i++;
                    while (s.charAt(i) != '"') {
                        i += s.charAt(i) == '\\' ? 2 : 1;
                    }
                    i++;
                } else if (c == '{' || c == '[') {
                    depth++;
                    i++;
                } else if (c == '}' || c == ']') {
                    if (depth == 0) {
                        return;
                    }
                    depth--;
                    i++;
                } else if (c == ',' && depth == 0) {
                    return;
                } else {
                    i++;
                }
                if (depth == 0 && (s.charAt(i) == ',' || s.charAt(i) == '}' || s.charAt(i) == ']')) {
                    return;
                }
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = null;
            int start = i;
            while (true) {
                char c = s.charAt(i);
                if (c == '"') {
                    String tail = s.substring(start, i++);
                    return sb == null ? tail : sb.append(tail).toString();
                }
                if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(s, start, i);
                    char e = s.charAt(i + 1);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                    i += 2;
                    start = i;
                } else {
                    i++;
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            return s.charAt(i);
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i);
            }
            i++;
        }

        static void quote(StringBuilder sb, String v) {
            sb.append('"');
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        }
    }
}
