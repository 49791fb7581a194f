package io.ballast.controlplane.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One transition of one backend, however many data planes reported it ({@code GET /health/events}). The fields of a
 * single report ({@link HealthEvent}) are kept and describe the first report; {@code nodes} holds every report.
 *
 * @param id         the transition's id: the id of its first report. Ordered by arrival of that report
 * @param nodeId     the data plane that reported it first
 * @param from       the state the backend left: the first report's, or another node's when the first had none (a data
 *                   plane's first look at a backend leaves no state)
 * @param reason     the first report's reason code; the others' are in {@code nodes}
 * @param at         when the first report says it happened
 * @param receivedAt when this control plane stored the first report
 * @param nodes      each data plane's report, in arrival order
 */
public record HealthTransition(long id, String nodeId, String pool, String backend, String from, String state, String reason,
                               Instant at, Instant receivedAt, List<NodeReport> nodes) {
    public HealthTransition {
        nodes = List.copyOf(nodes);
    }

    /**
     * One data plane's report of the transition.
     *
     * @param eventId the report's own id: the largest of a page is the cursor ({@code after}) for what came since
     */
    public record NodeReport(long eventId, String nodeId, String from, String reason, Instant at, Instant receivedAt) {
    }

    /** Groups reports (ordered by transition, then id) into transitions. */
    static List<HealthTransition> of(List<HealthEvent> reports, List<Long> transitionIds) {
        List<HealthTransition> out = new ArrayList<>();
        int i = 0;
        while (i < reports.size()) {
            long transition = transitionIds.get(i);
            HealthEvent first = reports.get(i);
            String from = null;
            List<NodeReport> nodes = new ArrayList<>();
            for (; i < reports.size() && transitionIds.get(i) == transition; i++) {
                HealthEvent e = reports.get(i);
                from = from == null ? e.from() : from;
                nodes.add(new NodeReport(e.id(), e.nodeId(), e.from(), e.reason(), e.at(), e.receivedAt()));
            }
            out.add(new HealthTransition(transition, first.nodeId(), first.pool(), first.backend(),
                    first.from() != null ? first.from() : from, first.state(), first.reason(), first.at(), first.receivedAt(), nodes));
        }
        return out;
    }
}
