package io.ballast.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RolloutReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");

    // The shape of GET /api/v1/rollouts/{id} as the control plane answers it.
    private static final String BAKING = """
            {"id":4,"state":"baking","revision":12,"baseRevision":11,"cohort":"canary=true","bakeTime":"1m",
             "bakeEndsAt":"2026-12-02T01:00:20Z","owner":"cp-1a2b3c4d","waitingFor":"bakeTime",
             "members":[{"nodeId":"dp-canary","connected":true,"appliedRevision":12,"targetRevision":12,"syncState":"SYNCED"}],
             "readings":{"at":"2026-12-02T00:59:59Z",
               "cohort":{"nodes":["dp-canary"],"windows":1,"requests":120,"errors5xx":0,"errorRatePercent":0.0,"p99Millis":1.4},
               "rest":{"nodes":["dp-a","dp-b"],"windows":2,"requests":240,"errors5xx":0,"errorRatePercent":0.0,"p99Millis":1.2},
               "gates":[{"name":"nack","limit":"any refusal","value":"no refusal","exceeded":false},
                        {"name":"errorRateIncrease","limit":"+1.0 points","value":"+0.0 points","exceeded":false},
                        {"name":"p99Increase","limit":"+50%","value":"+17% (1.4 ms against 1.2 ms)","exceeded":false}]}}""";

    private static final String ABORTED = """
            {"id":5,"state":"aborted","revision":14,"baseRevision":13,"cohort":"canary=true","bakeTime":"20s",
             "endedAt":"2026-12-02T00:58:00Z","endedBy":"gates","abortRevision":15,
             "reason":"5xx rate 100.0% on the cohort against 0.0% on the rest of the fleet (gate: +1.0 points)","members":[]}""";

    private static Terminal terminal() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Terminal(sink, sink, false, false, 80, true);
    }

    @Test
    void aBakingRolloutShowsTimeLeftMembersAndGates() throws Exception {
        String out = RolloutReport.render(JSON.readTree(BAKING), terminal(), NOW);
        assertThat(out).startsWith("Rollout 4: baking, revision 12 on cohort canary=true, the rest on revision 11\n"
                + "  bake time 1m, 20s left\n  judged by control plane cp-1a2b3c4d\n");
        assertThat(out).containsPattern("dp-canary +12 +12 +SYNCED");
        assertThat(out).containsPattern("errorRateIncrease +\\+1\\.0 points +\\+0\\.0 points +ok");
        assertThat(out).contains("  cohort: 120 requests, 0 5xx (0.0%), p99 1.4 ms, 1 data plane(s)\n");
        assertThat(out).contains("  rest: 240 requests, 0 5xx (0.0%), p99 1.2 ms, 2 data plane(s)\n");
        assertThat(out.lines().mapToInt(String::length).max().orElse(0)).isLessThanOrEqualTo(80);
        assertThat(RolloutReport.ended(JSON.readTree(BAKING))).isFalse();
    }

    @Test
    void anAbortedRolloutSaysWhyAndWhatPutTheBaseBack() throws Exception {
        String out = RolloutReport.render(JSON.readTree(ABORTED), terminal(), NOW);
        assertThat(out).contains("Rollout 5: aborted, revision 14");
        assertThat(out).contains("ended 2026-12-02T00:58:00Z by gates; revision 15 put revision 13 back");
        assertThat(out).contains("reason: 5xx rate 100.0% on the cohort against 0.0% on the rest of the fleet");
        assertThat(out).contains("No data plane matches the cohort canary=true.");
        assertThat(RolloutReport.ended(JSON.readTree(ABORTED))).isTrue();
    }
}
