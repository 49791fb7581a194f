package io.ballast.controlplane.push;

import io.ballast.controlplane.fleet.ConnectedDataPlanes;
import io.ballast.controlplane.health.ProberVerdicts;
import io.ballast.controlplane.revision.PublishedSnapshot;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.ballast.model.probe.ProberChoice;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.ProbeAssignment;
import io.ballast.wire.v1.ProbeVerdicts;
import io.ballast.wire.v1.WireCodec;
import io.ballast.wire.v1.WireMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Prober sharding ({@code healthCheck.probers}): every {@code ballast.health.relay-interval} [1 s] each data plane
 * connected here that announced {@code probe-assignment} is told which backends of its config it leaves to other
 * probers ({@link ProbeAssignment}, sent when it changes) and the verdicts of those probers ({@link ProbeVerdicts},
 * the changed ones). The probers of a backend are the {@code probers} highest-scoring connected nodes by rendezvous
 * hashing ({@link ProberChoice}) over every data plane connected to any instance ({@link ConnectedDataPlanes}), so
 * instances agree and a node joining or leaving moves only its own share; data planes without the feature probe
 * everything and count as probers too. Verdicts come from {@code health_observation} ({@link ProberVerdicts}), so
 * reports sent to other instances count. With the database unreachable nothing is sent, and the data planes keep
 * or fall back (they probe a relayed backend whose verdict never came, and everything once the socket closes).
 * The timer hands the JDBC and hashing work to a worker. Thread-safe.
 */
@ApplicationScoped
public class ProbeAssignments {
    private static final Logger LOG = Logger.getLogger(ProbeAssignments.class);

    private final Vertx vertx;
    private final DataPlaneSessions sessions;
    private final ConnectedDataPlanes fleet;
    private final ProberVerdicts verdicts;
    private final Duration interval;
    /** What was last sent on each socket, by connection id. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    /** The probers of each {@code pool/backend#n} for {@link #choiceFleet}; recomputed only when the fleet changes. */
    private final Map<String, List<String>> choices = new HashMap<>();
    private Set<String> choiceFleet = Set.of();
    private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
    private long timerId = -1;

    ProbeAssignments(Vertx vertx, DataPlaneSessions sessions, ConnectedDataPlanes fleet, ProberVerdicts verdicts,
                     @ConfigProperty(name = "ballast.health.relay-interval") Duration interval) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.fleet = fleet;
        this.verdicts = verdicts;
        this.interval = interval;
    }

    private static final class Sent {
        ProbeAssignment assignment;
        final Map<String, ProbeVerdicts.Verdict> verdicts = new HashMap<>();
    }

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(interval.toMillis(), id -> {
            // A tick that outlasts the interval (a slow database, a huge config) is not queued behind: the next
            // one after it recomputes everything anyway.
            if (running.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    try {
                        refresh();
                    } finally {
                        running.set(false);
                    }
                    return null;
                }, false);
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Recomputes every assignment here and sends what changed. Blocking JDBC. */
    public synchronized void refresh() {
        List<DataPlaneSession> identified = sessions.identified();
        List<DataPlaneSession> targets = identified.stream()
                .filter(s -> s.hello() != null && s.hello().supports(Hello.PROBE_ASSIGNMENT) && s.lastSent() != null)
                .toList();
        Set<String> open = targets.stream().map(DataPlaneSession::connectionId).collect(Collectors.toSet());
        sent.keySet().retainAll(open);
        if (targets.isEmpty()) {
            return;
        }
        Set<String> nodes = new TreeSet<>();
        try {
            nodes.addAll(fleet.ids());
            verdicts.refresh();
        } catch (RuntimeException | SQLException e) {
            LOG.debugf("Probe assignments not recomputed now (database unavailable?): %s", e.getMessage());
            return;
        }
        // This instance's own sessions are connected whatever the database says (a hello not yet recorded).
        identified.forEach(s -> nodes.add(s.nodeId()));
        if (!nodes.equals(choiceFleet)) {
            choices.clear();
            choiceFleet = Set.copyOf(nodes);
        }
        for (DataPlaneSession session : targets) {
            update(session, nodes);
        }
    }

    private void update(DataPlaneSession session, Set<String> nodes) {
        PublishedSnapshot config = session.lastSent();
        List<ProbeAssignment.BackendRef> relayed = new ArrayList<>();
        List<ProbeVerdicts.Verdict> known = new ArrayList<>();
        for (Pool pool : config.config().pools()) {
            int n = pool.healthCheck().probersAmong(nodes.size());
            if (n >= nodes.size()) {
                continue;
            }
            for (Backend backend : pool.backends()) {
                String key = ProberChoice.key(pool.name(), backend.name());
                List<String> probers = choices.computeIfAbsent(key + "#" + n, k -> ProberChoice.probers(nodes, key, n));
                if (probers.contains(session.nodeId())) {
                    continue;
                }
                relayed.add(new ProbeAssignment.BackendRef(pool.name(), backend.name()));
                ProbeVerdicts.Verdict v = verdicts.of(pool.name(), backend.name(), probers);
                if (v != null) {
                    known.add(v);
                }
            }
        }
        Sent before = sent.computeIfAbsent(session.connectionId(), id -> new Sent());
        if (before.assignment == null || !before.assignment.relayed().equals(relayed)) {
            before.assignment = new ProbeAssignment(relayed, nodes.size());
            // A new assignment may relay backends whose verdicts it never had: send every known one again.
            before.verdicts.clear();
            send(session, before.assignment);
            LOG.debugf("Data plane %s leaves %d backend(s) to other probers among %d data planes", session.nodeId(), relayed.size(),
                    nodes.size());
        }
        List<ProbeVerdicts.Verdict> changed = new ArrayList<>();
        for (ProbeVerdicts.Verdict v : known) {
            String key = ProberChoice.key(v.pool(), v.backend());
            if (!v.equals(before.verdicts.put(key, v))) {
                changed.add(v);
            }
        }
        if (!changed.isEmpty()) {
            send(session, new ProbeVerdicts(changed));
        }
    }

    private static void send(DataPlaneSession session, WireMessage message) {
        session.connection().sendText(WireCodec.encode(message)).subscribe().with(ok -> { },
                failure -> LOG.debugf("Probe frame not sent to %s: %s", session.nodeId(), failure.getMessage()));
    }
}
