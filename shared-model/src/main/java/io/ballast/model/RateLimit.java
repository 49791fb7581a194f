package io.ballast.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A route's rate limit: a token bucket per key that refills {@code requestsPerSecond} tokens a second and holds
 * at most {@code burst}; a request takes one token, and one that finds none is answered {@code 429}.
 *
 * @param requestsPerSecond the sustained rate, 1-1 000 000
 * @param burst             the bucket's size [= requestsPerSecond], 1-1 000 000
 * @param key               what a bucket is per: {@code source-ip} [default] or {@code header:<name>} (a request
 *                          without that header falls back to its source IP)
 * @param scope             {@link Scope#FLEET} [default]: the limit holds for the whole fleet, each data plane
 *                          enforcing the share the control plane gives it; {@link Scope#NODE}: each data plane alone
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimit(Integer requestsPerSecond, Integer burst, String key, Scope scope) {
    public static final String SOURCE_IP = "source-ip";
    public static final String HEADER_PREFIX = "header:";

    public RateLimit {
        burst = burst == null ? requestsPerSecond : burst;
        key = key == null ? SOURCE_IP : key;
        scope = scope == null ? Scope.FLEET : scope;
    }

    /** The header a bucket is per (lower case), or null when the key is the source IP (or not a header key). */
    @JsonIgnore
    public String headerName() {
        return key.startsWith(HEADER_PREFIX) ? key.substring(HEADER_PREFIX.length()).toLowerCase(Locale.ROOT) : null;
    }

    /** Where the limit holds: across the fleet, or on each data plane alone. */
    public enum Scope {
        FLEET("fleet"), NODE("node");

        private final String wireName;

        Scope(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Scope fromWireName(String name) {
            return Enums.fromWireName(Scope.class, values(), Scope::wireName, name);
        }
    }
}
