package io.ballast.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.rollout.GateJudge.Decision;
import io.ballast.controlplane.rollout.GateJudge.NodeTraffic;
import io.ballast.wire.v1.RequestLatency;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateJudgeTest {
    private static final Instant START = Instant.parse("2026-12-02T00:00:00Z");
    private static final Instant BAKE_ENDS = START.plusSeconds(60);
    private static final GateJudge.Settings SETTINGS = new GateJudge.Settings(7, true, 1.0, 50, true, BAKE_ENDS);
    private static final GateJudge.Fleet ALL_ON_IT = new GateJudge.Fleet(List.of("c1"), List.of("c1"));

    private static RequestLatency latency(long... counts) {
        return new RequestLatency(List.of(1.0, 10.0, 100.0), java.util.Arrays.stream(counts).boxed().toList());
    }

    private static NodeTraffic cohort(long requests, long errors, RequestLatency latency) {
        return new NodeTraffic("c1", true, true, requests, errors, latency);
    }

    private static NodeTraffic rest(String node, long requests, long errors, RequestLatency latency) {
        return new NodeTraffic(node, false, true, requests, errors, latency);
    }

    private static GateJudge.Verdict judge(List<NodeTraffic> traffic, Instant now) {
        return GateJudge.judge(SETTINGS, traffic, List.of(), ALL_ON_IT, now);
    }

    @Test
    void moreErrorsOnTheCohortThanTheGateAllowsAborts() {
        GateJudge.Verdict v = judge(List.of(cohort(100, 3, null), rest("r1", 100, 1, null), rest("r2", 100, 0, null)), START.plusSeconds(5));
        // 3.0 % against 0.5 %: 2.5 points over, the gate allows 1.0.
        assertThat(v.decision()).isEqualTo(Decision.ABORT);
        assertThat(v.reason()).isEqualTo("5xx rate 3.0% on the cohort against 0.5% on the rest of the fleet (gate: +1.0 points)");
        assertThat(v.readings().rest().requests()).isEqualTo(200);
        assertThat(v.readings().rest().nodes()).containsExactly("r1", "r2");
    }

    @Test
    void anIncreaseWithinTheGateKeepsBaking() {
        GateJudge.Verdict v = judge(List.of(cohort(100, 1, null), rest("r1", 100, 0, null)), START.plusSeconds(5));
        assertThat(v.decision()).isEqualTo(Decision.BAKE);
        assertThat(v.readings().gates()).extracting(GateReadings.Gate::value).contains("+1.0 points");
    }

    @Test
    void tooFewCohortRequestsAreNotJudged() {
        GateJudge.Verdict v = judge(List.of(cohort(GateJudge.MIN_REQUESTS - 1, 9, null), rest("r1", 100, 0, null)), START.plusSeconds(5));
        assertThat(v.decision()).isEqualTo(Decision.BAKE);
    }

    @Test
    void aSlowerCohortP99AbortsButNotWithinTheNoiseFloor() {
        GateJudge.Verdict slow = judge(List.of(cohort(100, 0, latency(0, 0, 100, 0)), rest("r1", 100, 0, latency(100, 0, 0, 0))), START.plusSeconds(5));
        assertThat(slow.decision()).isEqualTo(Decision.ABORT);
        assertThat(slow.reason()).startsWith("p99 99.1 ms on the cohort against 1.0 ms");

        // 2 ms against 1 ms is +100 %, but a bucket's width, not a regression.
        RequestLatency fine = new RequestLatency(List.of(1.0, 2.0, 100.0), List.of(0L, 100L, 0L, 0L));
        RequestLatency finer = new RequestLatency(List.of(1.0, 2.0, 100.0), List.of(100L, 0L, 0L, 0L));
        GateJudge.Verdict noise = judge(List.of(cohort(100, 0, fine), rest("r1", 100, 0, finer)), START.plusSeconds(5));
        assertThat(noise.readings().cohort().p99Millis()).isCloseTo(1.99, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(noise.decision()).isEqualTo(Decision.BAKE);
    }

    @Test
    void aRefusalAbortsWhenNackIsAGate() {
        GateJudge.Verdict v = GateJudge.judge(SETTINGS, List.of(), List.of(new GateJudge.Refusal("c1", "pools[0]: bad")), ALL_ON_IT, START);
        assertThat(v.decision()).isEqualTo(Decision.ABORT);
        assertThat(v.reason()).isEqualTo("data plane c1 refused revision 7: pools[0]: bad");
        GateJudge.Settings noNackGate = new GateJudge.Settings(7, false, 1.0, 50, true, BAKE_ENDS);
        assertThat(GateJudge.judge(noNackGate, List.of(), List.of(new GateJudge.Refusal("c1", "x")), ALL_ON_IT, START).decision())
                .isEqualTo(Decision.BAKE);
    }

    @Test
    void afterTheBakeTimeItPromotesWithEvidenceOrWaitsForAPromote() {
        List<NodeTraffic> healthy = List.of(cohort(0, 0, null), rest("r1", 10, 0, null));
        assertThat(judge(healthy, BAKE_ENDS).decision()).isEqualTo(Decision.PROMOTE);
        GateJudge.Settings manual = new GateJudge.Settings(7, true, 1.0, 50, false, BAKE_ENDS);
        assertThat(GateJudge.judge(manual, healthy, List.of(), ALL_ON_IT, BAKE_ENDS).decision()).isEqualTo(Decision.AWAIT_PROMOTE);
    }

    @Test
    void withoutEvidenceItWaitsThenAborts() {
        List<NodeTraffic> oneHeartbeat = List.of(new NodeTraffic("c1", true, false, 0, 0, null));
        assertThat(judge(oneHeartbeat, BAKE_ENDS).decision()).isEqualTo(Decision.BAKE);
        GateJudge.Verdict late = judge(oneHeartbeat, BAKE_ENDS.plus(GateJudge.EVIDENCE_GRACE));
        assertThat(late.decision()).isEqualTo(Decision.ABORT);
        assertThat(late.reason()).startsWith("no data plane of the cohort sent two heartbeats on revision 7");

        GateJudge.Verdict nobody = GateJudge.judge(SETTINGS, List.of(), List.of(), new GateJudge.Fleet(List.of(), List.of()),
                BAKE_ENDS.plus(GateJudge.EVIDENCE_GRACE));
        assertThat(nobody.reason()).startsWith("the cohort selects no connected data plane");

        GateJudge.Verdict behind = GateJudge.judge(SETTINGS, List.of(cohort(0, 0, null)), List.of(),
                new GateJudge.Fleet(List.of("c1", "c2"), List.of("c1")), BAKE_ENDS.plus(GateJudge.EVIDENCE_GRACE));
        assertThat(behind.reason()).startsWith("data plane(s) of the cohort never applied revision 7: [c2]");
    }
}
