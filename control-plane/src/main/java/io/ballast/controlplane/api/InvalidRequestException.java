package io.ballast.controlplane.api;

import io.ballast.model.validation.Violation;
import java.util.List;

/** A request the API cannot even interpret (HTTP 400): no body, a bad query parameter. */
public final class InvalidRequestException extends RuntimeException {
    private final List<Violation> errors;

    public InvalidRequestException(String detail, List<Violation> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public List<Violation> errors() {
        return errors;
    }
}
