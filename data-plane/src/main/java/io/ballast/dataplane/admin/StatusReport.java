package io.ballast.dataplane.admin;

import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.upstream.HealthReporter;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code /status} document:
 * <pre>
 * {nodeId, appliedRevision, appliedHash, configSource, ready,
 *  controlPlane: {connected, url},
 *  pools: [{name, algorithm, panic, backends: [{name, address, adminState, health, healthReason, state, reason,
 *           ejectedUntil, weight, inFlight}]}]}
 * </pre>
 * {@code health}/{@code healthReason} are the active checks' verdict; {@code state}/{@code reason} what the
 * node reports to the control plane (admin state and ejection included). {@code appliedRevision}/
 * {@code appliedHash} are null before a config is loaded. Stateless.
 */
public final class StatusReport {
    private StatusReport() {
    }

    /** Whether a control plane is connected now, and which URL (the one being tried when not). */
    public record ControlPlaneState(boolean connected, String url) {
    }

    public static JsonObject render(String nodeId, ActiveConfig config, ControlPlaneState controlPlane) {
        JsonArray pools = new JsonArray();
        if (config != null) {
            long now = System.currentTimeMillis();
            for (UpstreamPool pool : config.table().pools()) {
                JsonArray backends = new JsonArray();
                for (Member m : pool.members()) {
                    HealthReporter.Reported reported = HealthReporter.reported(m, now);
                    long ejectedUntil = m.live().health().ejectedUntil();
                    backends.add(new JsonObject()
                            .put("name", m.backend().name())
                            .put("address", m.live().key().address())
                            .put("adminState", m.backend().adminState().wireName())
                            .put("health", m.live().health().state().wireName())
                            .put("healthReason", m.live().health().reason())
                            .put("state", reported.state())
                            .put("reason", reported.reason())
                            .put("ejectedUntil", ejectedUntil > now ? java.time.Instant.ofEpochMilli(ejectedUntil).toString() : null)
                            .put("weight", m.backend().weight())
                            .put("inFlight", m.inFlight()));
                }
                pools.add(new JsonObject().put("name", pool.name()).put("algorithm", pool.config().algorithm().wireName())
                        .put("panic", pool.panic())
                        .put("backends", backends));
            }
        }
        return new JsonObject()
                .put("nodeId", nodeId)
                .put("ready", config != null)
                .put("appliedRevision", config == null ? null : config.revision())
                .put("appliedHash", config == null ? null : config.hash())
                .put("configSource", config == null ? null : config.source())
                .put("controlPlane", new JsonObject().put("connected", controlPlane.connected()).put("url", controlPlane.url()))
                .put("pools", pools);
    }
}
