package io.ballast.model.validation;

import java.util.List;

/** Thrown when a resource or snapshot has violations; carries all of them, not only the first. */
public final class InvalidConfigException extends RuntimeException {
    private final List<Violation> violations;

    public InvalidConfigException(List<Violation> violations) {
        super(summary(violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        if (violations.isEmpty()) {
            return "invalid configuration";
        }
        Violation first = violations.get(0);
        String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
        return first.field() + ": " + first.message() + more;
    }
}
