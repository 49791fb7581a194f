package io.ballast.controlplane.console;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Browser hardening for the console's static pages: scripts, styles and connections only from this
 * origin (the console loads nothing remote), no framing (clickjacking), no MIME sniffing, no referrer.
 * The API under {@code /api/} answers JSON and is left alone.
 */
@ApplicationScoped
public class ConsoleSecurityHeaders {
    static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (!path.startsWith("/api/") && !path.startsWith("/q/")) {
                rc.response().putHeader("Content-Security-Policy", POLICY)
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("Referrer-Policy", "no-referrer")
                        .putHeader("X-Frame-Options", "DENY");
            }
            rc.next();
        }, 10);
    }
}
