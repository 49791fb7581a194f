package io.ballast.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Conditions a request must meet, beside its host and path, for a route to take it; every condition must hold.
 * A route with more conditions is more specific than one with fewer on the same path.
 *
 * @param methods request methods, any of which matches (upper case, e.g. {@code GET}) [any method]
 * @param headers header conditions, all of which must hold
 * @param query   query-parameter conditions, all of which must hold
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RequestMatch(List<String> methods, List<HeaderMatch> headers, List<QueryMatch> query) {

    public RequestMatch {
        methods = methods == null ? List.of() : List.copyOf(methods);
        headers = headers == null ? List.of() : List.copyOf(headers);
        query = query == null ? List.of() : List.copyOf(query);
    }

    /** How many conditions: the method list counts once, each header and query condition once. */
    public int conditions() {
        return (methods.isEmpty() ? 0 : 1) + headers.size() + query.size();
    }

    /**
     * A header condition: exactly one of {@code exact}, {@code prefix}, {@code regex} (the whole value must match)
     * or {@code present: true}. With several fields of that name, one matching value is enough.
     *
     * @param invert the condition holds when the test fails (a missing header then matches) [false]
     */
    public record HeaderMatch(String name, String exact, String prefix, String regex, Boolean present, Boolean invert) {
        public boolean inverted() {
            return Boolean.TRUE.equals(invert);
        }
    }

    /**
     * A query-parameter condition on the decoded value: exactly one of {@code exact}, {@code regex} (the whole
     * value) or {@code present: true}. With the parameter given several times, one matching value is enough.
     */
    public record QueryMatch(String name, String exact, String regex, Boolean present) {
    }
}
