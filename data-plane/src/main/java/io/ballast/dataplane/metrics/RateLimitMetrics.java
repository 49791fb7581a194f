package io.ballast.dataplane.metrics;

import io.ballast.dataplane.ratelimit.RouteRateLimiter;
import io.ballast.dataplane.routing.ActiveConfig;
import java.util.List;

/**
 * Renders {@code ballast_rate_limited_total{route}} (requests each rate-limited route answered with 429) and
 * {@code ballast_rate_limit_share{route}} (the fraction of its limit this node enforces: its fleet share, or 1).
 * Stateless.
 */
final class RateLimitMetrics {
    private RateLimitMetrics() {
    }

    static void render(StringBuilder sb, ActiveConfig config) {
        List<RouteRateLimiter> limiters = config.table().rateLimiters();
        if (limiters.isEmpty()) {
            return;
        }
        sb.append("# HELP ballast_rate_limited_total Requests refused with 429 by the route's rate limit.\n")
                .append("# TYPE ballast_rate_limited_total counter\n");
        for (RouteRateLimiter limiter : limiters) {
            // Route names are slugs (validated), so they need no escaping in a label value.
            sb.append("ballast_rate_limited_total{route=\"").append(limiter.route()).append("\"} ").append(limiter.limited()).append('\n');
        }
        sb.append("# HELP ballast_rate_limit_share Fraction of the route's rate limit this data plane enforces.\n")
                .append("# TYPE ballast_rate_limit_share gauge\n");
        for (RouteRateLimiter limiter : limiters) {
            sb.append("ballast_rate_limit_share{route=\"").append(limiter.route()).append("\"} ").append(limiter.enforcedShare()).append('\n');
        }
    }
}
