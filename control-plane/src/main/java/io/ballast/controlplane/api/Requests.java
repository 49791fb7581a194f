package io.ballast.controlplane.api;

import io.ballast.model.validation.Violation;
import java.util.List;

/** Small checks on raw request input that JAX-RS would otherwise answer with a 404 or a 500. */
final class Requests {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private Requests() {
    }

    static <T> T requireBody(T body) {
        if (body == null) {
            throw new InvalidRequestException("a JSON body is required", List.of());
        }
        return body;
    }

    /** Parses {@code ?limit=} ourselves: JAX-RS answers an unconvertible query parameter with 404. */
    static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new InvalidRequestException("bad query parameter",
                List.of(new Violation("limit", "must be a whole number from 1 to " + MAX_LIMIT)));
    }

    /** A {@code true}/{@code false} query parameter (absent: false; present without a value: true). */
    static boolean flag(String raw, String field) {
        List<Violation> errors = new java.util.ArrayList<>();
        boolean value = WriteOptions.flag(raw, field, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("bad query parameter", errors);
        }
        return value;
    }

    static Long revisionNumber(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("bad parameter", List.of(new Violation(field, "must be a revision number")));
        }
    }
}
