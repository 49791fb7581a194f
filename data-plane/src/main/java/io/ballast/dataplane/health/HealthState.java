package io.ballast.dataplane.health;

/** What active checks say about a backend, spelled as in {@code /status} and health reports. */
public enum HealthState {
    /** New and not yet probed successfully: takes no traffic (unless the pool starts backends healthy). */
    INITIAL("initial"),
    HEALTHY("healthy"),
    UNHEALTHY("unhealthy");

    private final String wireName;

    HealthState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
