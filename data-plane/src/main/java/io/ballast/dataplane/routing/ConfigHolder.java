package io.ballast.dataplane.routing;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place the active config lives. A request reads {@link #current()} once and uses that table
 * to the end, so a swap never changes the rules under a request in flight. Thread-safe.
 */
public final class ConfigHolder {
    private final AtomicReference<ActiveConfig> current = new AtomicReference<>();

    /** The active config, or null before the first one is loaded. */
    public ActiveConfig current() {
        return current.get();
    }

    public void swap(ActiveConfig next) {
        current.set(next);
    }
}
