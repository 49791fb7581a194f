package io.ballast.dataplane.admin;

import io.ballast.dataplane.config.CacheStatus;
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
 *  cache: {ok, error, failures, lastWrittenRevision},
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

    /** The snapshot cache: {@code ok} false (with the error) while the newest write failed. */
    public static JsonObject cache(CacheStatus cache) {
        long written = cache.lastWrittenRevision();
        return new JsonObject().put("ok", cache.ok()).put("error", cache.lastError()).put("failures", cache.failures())
                .put("lastWrittenRevision", written < 0 ? null : written);
    }

    /** Prometheus lines for the snapshot cache. */
    public static String cacheMetrics(CacheStatus cache) {
        return "# HELP ballast_snapshot_cache_write_failures_total Snapshot cache writes that failed (read-only or full disk).\n"
                + "# TYPE ballast_snapshot_cache_write_failures_total counter\n"
                + "ballast_snapshot_cache_write_failures_total " + cache.failures() + "\n"
                + "# HELP ballast_snapshot_cache_ok 1 when the newest snapshot cache write succeeded (or none was needed).\n"
                + "# TYPE ballast_snapshot_cache_ok gauge\n"
                + "ballast_snapshot_cache_ok " + (cache.ok() ? 1 : 0) + "\n";
    }
}
