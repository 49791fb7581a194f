package io.ballast.controlplane.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ballast.model.validation.Violation;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} lists field-level violations (validation and
 * malformed bodies) and is omitted when empty.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<Violation> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
