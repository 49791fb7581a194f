package io.ballast.controlplane.revision;

import java.util.List;

/**
 * A change the safety rails refuse unless the caller insists ({@code ?force=true}): it would leave
 * pools that serve traffic now without a single enabled backend.
 */
public final class UnsafeChangeException extends RuntimeException {
    private final List<String> pools;

    public UnsafeChangeException(List<String> pools) {
        super("the change would leave pool(s) " + String.join(", ", pools)
                + " with no enabled backend, so they could serve no traffic; repeat it with ?force=true to do it anyway");
        this.pools = List.copyOf(pools);
    }

    public List<String> pools() {
        return pools;
    }
}
