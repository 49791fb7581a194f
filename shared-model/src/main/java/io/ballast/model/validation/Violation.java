package io.ballast.model.validation;

import static java.util.Objects.requireNonNull;

/** One thing wrong with a resource: the path of the field and a message a person can act on. */
public record Violation(String field, String message) {
    public Violation {
        requireNonNull(field, "field");
        requireNonNull(message, "message");
    }
}
