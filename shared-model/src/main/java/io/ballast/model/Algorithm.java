package io.ballast.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The balancing algorithm of a pool, spelled on the wire as in API.md ({@code round-robin} …). */
public enum Algorithm {
    ROUND_ROBIN("round-robin"),
    WEIGHTED_ROUND_ROBIN("weighted-round-robin"),
    LEAST_REQUESTS("least-requests"),
    POWER_OF_TWO_CHOICES("power-of-two-choices"),
    RANDOM("random"),
    CONSISTENT_HASH("consistent-hash");

    private final String wireName;

    Algorithm(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Algorithm fromWireName(String name) {
        return Enums.fromWireName(Algorithm.class, values(), Algorithm::wireName, name);
    }
}
