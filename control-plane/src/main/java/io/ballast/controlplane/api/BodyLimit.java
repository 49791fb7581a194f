package io.ballast.controlplane.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is larger than {@code quarkus.http.limits.max-body-size}
 * with a 413 problem before a byte of it is read (Quarkus itself would answer a bare 413, and only
 * after reading up to the limit). Runs on the event loop: it only looks at a header.
 */
@ApplicationScoped
public class BodyLimit {
    private final long maxBytes;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
        this.maxBytes = max.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && tooLarge(declared)) {
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"type\":\"https://ballast.io/problems/too-large\",\"title\":\"Content Too Large\",\"status\":413,"
                                + "\"detail\":\"the body is larger than the limit of " + maxBytes + " bytes\"}");
                return;
            }
            ctx.next();
        });
    }

    private boolean tooLarge(String declared) {
        try {
            return Long.parseLong(declared.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            // A malformed Content-Length is the HTTP server's to refuse.
            return false;
        }
    }
}
