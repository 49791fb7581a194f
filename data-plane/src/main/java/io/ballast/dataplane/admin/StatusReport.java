package io.ballast.dataplane.admin;

import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code /status} document:
 * <pre>
 * {nodeId, appliedRevision, appliedHash, configSource, ready,
 *  controlPlane: {connected, url},
 *  pools: [{name, backends: [{name, address, adminState, health, healthReason, weight, inFlight}]}]}
 * </pre>
 * {@code appliedRevision}/{@code appliedHash} are null before a config is loaded. Stateless.
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
            for (UpstreamPool pool : config.table().pools()) {
                JsonArray backends = new JsonArray();
                for (Member m : pool.members()) {
                    backends.add(new JsonObject()
                            .put("name", m.backend().name())
                            .put("address", m.live().key().address())
                            .put("adminState", m.backend().adminState().wireName())
                            .put("health", m.live().health().state().wireName())
                            .put("healthReason", m.live().health().reason())
                            .put("weight", m.backend().weight())
                            .put("inFlight", m.inFlight()));
                }
                pools.add(new JsonObject().put("name", pool.name()).put("algorithm", pool.config().algorithm().wireName())
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
