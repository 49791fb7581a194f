package io.ballast.controlplane.rollout;

import io.ballast.wire.v1.RequestLatency;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides what a baking rollout does next from what the fleet reported: abort on a refusal or a
 * tripped gate, promote once the bake time is over with evidence that the cohort ran the revision,
 * else keep baking. A pure function of its inputs (no clock, no database), so every rule has a unit
 * test. Stateless and thread-safe.
 */
public final class GateJudge {
    /** Below this many cohort requests a 5xx rate says nothing (one error in three requests is noise). */
    static final long MIN_REQUESTS = 10;
    /** Each side needs this many timed requests for a p99 to mean something. */
    static final long MIN_LATENCY_REQUESTS = 20;
    /**
     * A p99 difference smaller than this is never an increase: the histogram's buckets are a few
     * milliseconds wide at the low end, so tiny answers differ by whole buckets from noise alone.
     */
    static final double P99_NOISE_FLOOR_MILLIS = 5;
    /**
     * After the bake time, how long to wait for the cohort's heartbeats (they come every 5 s) before
     * giving up: a revision nobody was seen running is never promoted.
     */
    static final Duration EVIDENCE_GRACE = Duration.ofSeconds(30);

    private GateJudge() {
    }

    /** What the rollout is judged by. */
    public record Settings(long revision, boolean abortOnNack, double errorRateIncrease, double p99Increase,
                           boolean autoPromote, Instant bakeEndsAt) {
    }

    /**
     * One node's traffic since it started running its target revision.
     *
     * @param window  true when two heartbeats on the target revision were seen (the deltas are real)
     * @param latency the latency histogram of that time; null when the node does not report one
     */
    public record NodeTraffic(String nodeId, boolean cohort, boolean window, long requests, long errors5xx, RequestLatency latency) {
    }

    /** A node that refused the revision. */
    public record Refusal(String nodeId, String errors) {
    }

    /**
     * @param cohortConnected connected nodes the selector picks
     * @param cohortOnRevision of them, those that run the revision
     */
    public record Fleet(List<String> cohortConnected, List<String> cohortOnRevision) {
    }

    public enum Decision { BAKE, AWAIT_PROMOTE, PROMOTE, ABORT }

    public record Verdict(Decision decision, String reason, GateReadings readings) {
    }

    public static Verdict judge(Settings settings, List<NodeTraffic> traffic, List<Refusal> refusals, Fleet fleet, Instant now) {
        GateReadings.Side cohort = side(traffic, true);
        GateReadings.Side rest = side(traffic, false);
        RequestLatency cohortLatency = latency(traffic, true);
        RequestLatency restLatency = latency(traffic, false);
        List<GateReadings.Gate> gates = new ArrayList<>();
        String abort = null;

        boolean refused = settings.abortOnNack() && !refusals.isEmpty();
        gates.add(new GateReadings.Gate("nack", settings.abortOnNack() ? "any refusal" : "off",
                refusals.isEmpty() ? "no refusal" : refusals.size() + " refusal(s)", refused));
        if (refused) {
            Refusal first = refusals.get(0);
            abort = "data plane " + first.nodeId() + " refused revision " + settings.revision() + ": " + first.errors();
        }

        String errorLimit = String.format(Locale.ROOT, "+%.1f points", settings.errorRateIncrease());
        if (cohort.requests() < MIN_REQUESTS) {
            gates.add(new GateReadings.Gate("errorRateIncrease", errorLimit, "not enough traffic (" + cohort.requests() + " requests)", false));
        } else {
            double cohortRate = cohort.errorRatePercent();
            double restRate = rest.errorRatePercent() == null ? 0 : rest.errorRatePercent();
            double increase = cohortRate - restRate;
            boolean exceeded = increase > settings.errorRateIncrease();
            gates.add(new GateReadings.Gate("errorRateIncrease", errorLimit, String.format(Locale.ROOT, "%+.1f points", increase), exceeded));
            if (exceeded && abort == null) {
                abort = String.format(Locale.ROOT, "5xx rate %.1f%% on the cohort against %.1f%% on the rest of the fleet (gate: %s)",
                        cohortRate, restRate, errorLimit);
            }
        }

        String p99Limit = String.format(Locale.ROOT, "+%.0f%%", settings.p99Increase());
        if (cohortLatency == null || restLatency == null
                || cohortLatency.total() < MIN_LATENCY_REQUESTS || restLatency.total() < MIN_LATENCY_REQUESTS) {
            gates.add(new GateReadings.Gate("p99Increase", p99Limit, "not enough traffic on both sides", false));
        } else {
            double c = cohort.p99Millis();
            double r = rest.p99Millis();
            double increase = r > 0 ? (c - r) * 100 / r : 0;
            boolean exceeded = c - r >= P99_NOISE_FLOOR_MILLIS && increase > settings.p99Increase();
            gates.add(new GateReadings.Gate("p99Increase", p99Limit, String.format(Locale.ROOT, "%+.0f%% (%.1f ms against %.1f ms)", increase, c, r),
                    exceeded));
            if (exceeded && abort == null) {
                abort = String.format(Locale.ROOT, "p99 %.1f ms on the cohort against %.1f ms on the rest of the fleet (gate: %s)", c, r, p99Limit);
            }
        }

        GateReadings readings = new GateReadings(now, cohort, rest, gates);
        if (abort != null) {
            return new Verdict(Decision.ABORT, abort, readings);
        }
        if (now.isBefore(settings.bakeEndsAt())) {
            return new Verdict(Decision.BAKE, null, readings);
        }
        boolean everyoneOnIt = fleet.cohortOnRevision().containsAll(fleet.cohortConnected());
        boolean evidence = !fleet.cohortConnected().isEmpty() && everyoneOnIt && cohort.windows() > 0;
        if (evidence) {
            return new Verdict(settings.autoPromote() ? Decision.PROMOTE : Decision.AWAIT_PROMOTE, null, readings);
        }
        if (now.isBefore(settings.bakeEndsAt().plus(EVIDENCE_GRACE))) {
            return new Verdict(Decision.BAKE, null, readings);
        }
        String why = fleet.cohortConnected().isEmpty() ? "the cohort selects no connected data plane"
                : !everyoneOnIt ? "data plane(s) of the cohort never applied revision " + settings.revision() + ": "
                        + fleet.cohortConnected().stream().filter(n -> !fleet.cohortOnRevision().contains(n)).toList()
                : "no data plane of the cohort sent two heartbeats on revision " + settings.revision();
        return new Verdict(Decision.ABORT, why + " (checked " + EVIDENCE_GRACE.toSeconds() + " s past the bake time)", readings);
    }

    private static GateReadings.Side side(List<NodeTraffic> traffic, boolean cohort) {
        List<NodeTraffic> mine = traffic.stream().filter(t -> t.cohort() == cohort).toList();
        long requests = mine.stream().mapToLong(NodeTraffic::requests).sum();
        long errors = mine.stream().mapToLong(NodeTraffic::errors5xx).sum();
        int windows = (int) mine.stream().filter(NodeTraffic::window).count();
        RequestLatency latency = latency(traffic, cohort);
        return new GateReadings.Side(mine.stream().map(NodeTraffic::nodeId).sorted().toList(), windows, requests, errors,
                requests == 0 ? null : errors * 100.0 / requests, latency == null ? null : latency.quantileMillis(0.99));
    }

    private static RequestLatency latency(List<NodeTraffic> traffic, boolean cohort) {
        RequestLatency sum = null;
        for (NodeTraffic t : traffic) {
            if (t.cohort() == cohort && t.latency() != null) {
                sum = sum == null ? t.latency() : sum.plus(t.latency());
            }
        }
        return sum;
    }
}
