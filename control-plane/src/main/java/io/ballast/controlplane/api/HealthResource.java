package io.ballast.controlplane.api;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.ballast.controlplane.health.BackendHealth;
import io.ballast.controlplane.health.HealthEvent;
import io.ballast.controlplane.health.HealthQueries;
import io.ballast.controlplane.health.HealthTransition;
import io.ballast.model.validation.Violation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Fleet-wide backend health: {@code GET /api/v1/health} (every backend) and the transition history
 * {@code GET /api/v1/health/events?pool=&backend=&since=&limit=&after=&group=}. One pool's: {@link PoolHealthResource}.
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

    /**
     * One item per transition of a backend, with every data plane that reported it ({@code nodes}), oldest first;
     * {@code next} is a report id. A transition that another data plane reports after the cursor comes again, with the
     * same id and the new report in {@code nodes}: a client that polls with {@code after} replaces it by id.
     * {@code group=node} answers the reports themselves, one item per data plane and transition (the form before
     * 0.2), oldest first, {@code next} being the id of the last.
     */
    @GET
    @Path("events")
    @Operation(summary = "Health transitions, one per backend change with the data planes that saw it (group=node: one per data plane)")
    @APIResponse(responseCode = "200", description = "One page of transitions (or, with group=node, of reports)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransitionPage.class)))
    public Page<?> events(@QueryParam("pool") String pool, @QueryParam("backend") String backend,
                          @QueryParam("since") String since, @QueryParam("limit") String limit,
                          @QueryParam("after") String after,
                          @Parameter(description = "transition (default): one item per transition; node: one per data plane's report")
                          @QueryParam("group") String group) {
        int max = Requests.limit(limit);
        if ("node".equals(group)) {
            List<HealthEvent> fetched = health.events(blankToNull(pool), blankToNull(backend), instant(since), cursor(after), max);
            return Page.of(fetched, max, e -> Long.toString(e.id()));
        }
        if (group != null && !group.isBlank() && !"transition".equals(group)) {
            throw new InvalidRequestException("bad query parameter", List.of(new Violation("group", "must be transition or node")));
        }
        List<HealthQueries.Touched> touched = health.transitions(blankToNull(pool), blankToNull(backend), instant(since), cursor(after), max);
        String next = touched.size() > max ? Long.toString(touched.get(max - 1).newestMatching()) : null;
        List<HealthTransition> items = touched.stream().limit(max).map(HealthQueries.Touched::transition)
                .sorted(Comparator.comparingLong(HealthTransition::id)).toList();
        return new Page<>(items, next);
    }

    /**
     * What the default form answers, for the OpenAPI document: the method returns {@code Page<?>} because
     * {@code group=node} answers {@link HealthEvent} items instead.
     */
    record TransitionPage(List<HealthTransition> items, String next) {
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
