package io.ballast.controlplane.api;

import java.util.List;

/**
 * One page of a list. {@code next} is the cursor for the following page ({@code ?after=} or
 * {@code ?before=}); null on the last page.
 */
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * Builds a page from up to {@code limit + 1} fetched items: the extra one only tells that more exist.
     */
    static <T> Page<T> of(List<T> fetched, int limit, java.util.function.Function<T, String> cursor) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, cursor.apply(items.get(limit - 1)));
    }
}
