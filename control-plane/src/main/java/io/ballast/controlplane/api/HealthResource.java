package io.ballast.controlplane.api;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.ballast.controlplane.health.BackendHealth;
import io.ballast.controlplane.health.HealthEvent;
import io.ballast.controlplane.health.HealthQueries;
import io.ballast.model.validation.Violation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Fleet-wide backend health: {@code GET /api/v1/health} (every backend) and the transition history
 * {@code GET /api/v1/health/events?pool=&backend=&since=&limit=&after=}. One pool's: {@link PoolHealthResource}.
 */
@Tag(name = "health")
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final HealthQueries health;

    HealthResource(HealthQueries health) {
        this.health = health;
    }

    @GET
    public Page<BackendHealth> all() {
        return new Page<>(health.backends(null), null);
    }

    /** Oldest first (the order they were reported); {@code next} is the id of the last item. */
    @GET
    @Path("events")
    public Page<HealthEvent> events(@QueryParam("pool") String pool, @QueryParam("backend") String backend,
                                    @QueryParam("since") String since, @QueryParam("limit") String limit,
                                    @QueryParam("after") String after) {
        int max = Requests.limit(limit);
        List<HealthEvent> fetched = health.events(blankToNull(pool), blankToNull(backend), instant(since), cursor(after), max);
        return Page.of(fetched, max, e -> Long.toString(e.id()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Instant instant(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("bad query parameter",
                    List.of(new Violation("since", "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z")));
        }
    }

    private static long cursor(String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("bad query parameter", List.of(new Violation("after", "must be a cursor from 'next'")));
        }
    }
}
