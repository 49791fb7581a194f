package io.ballast.controlplane.api;

import io.ballast.model.validation.Violation;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses path parameters that no resource can be named (control characters, absurd lengths)
 * before they reach a query: PostgreSQL rejects a NUL byte in text with an error, which must be the
 * client's 400, not a 500.
 */
public class PathNames {
    /** The longest name any resource may have (backend names: 253). */
    private static final int MAX_LENGTH = 253;

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        List<Violation> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> param : request.getUriInfo().getPathParameters().entrySet()) {
            for (String value : param.getValue()) {
                if (value.length() > MAX_LENGTH || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    errors.add(new Violation(param.getKey(), "is not a valid name: at most " + MAX_LENGTH
                            + " characters, no control characters"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("bad path parameter", errors);
        }
    }
}
