package io.ballast.controlplane.rollout;

import java.time.Instant;
import java.util.List;

/**
 * What the gates measured at one moment, for the API and the console.
 *
 * @param cohort the nodes running the new revision
 * @param rest   every other node, on the previous revision
 * @param gates  each gate with its limit, its value now and whether it tripped
 */
public record GateReadings(Instant at, Side cohort, Side rest, List<Gate> gates) {

    /**
     * Traffic of one side of the split since each node started running its target revision.
     *
     * @param nodes            node ids whose heartbeats were counted
     * @param windows          nodes with at least two heartbeats on their target revision (the ones measured)
     * @param requests         requests answered
     * @param errors5xx        of them, with a 5xx status
     * @param errorRatePercent 5xx per 100 requests; null without requests
     * @param p99Millis        99th percentile of request duration; null without latency data
     */
    public record Side(List<String> nodes, int windows, long requests, long errors5xx, Double errorRatePercent, Double p99Millis) {
    }

    /**
     * @param name     {@code nack}, {@code errorRateIncrease} or {@code p99Increase}
     * @param limit    the configured limit, as text ("+1.0 points", "+50%", "any")
     * @param value    the reading, as text; "not enough traffic" when the gate could not judge yet
     * @param exceeded the gate tripped
     */
    public record Gate(String name, String limit, String value, boolean exceeded) {
    }
}
