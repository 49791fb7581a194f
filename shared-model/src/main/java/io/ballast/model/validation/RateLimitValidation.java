package io.ballast.model.validation;

import io.ballast.model.RateLimit;
import io.ballast.model.Route;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a route's {@code rateLimit}: positive rates and bursts within bounds the data plane's fixed-point
 * bucket arithmetic handles, and a key that is {@code source-ip} or {@code header:} followed by a header field
 * name (an RFC 9110 token). Stateless and thread-safe.
 */
final class RateLimitValidation {
    static final int MAX_RATE = 1_000_000;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

    private RateLimitValidation() {
    }

    static void route(Route route, String at, List<Violation> out) {
        RateLimit limit = route.rateLimit();
        if (limit == null) {
            return;
        }
        String field = at + "rateLimit.";
        if (limit.requestsPerSecond() == null) {
            out.add(new Violation(field + "requestsPerSecond", "is required: the sustained rate, requests per second"));
        } else if (limit.requestsPerSecond() < 1 || limit.requestsPerSecond() > MAX_RATE) {
            out.add(new Violation(field + "requestsPerSecond", "must be between 1 and " + MAX_RATE));
        }
        if (limit.burst() != null && (limit.burst() < 1 || limit.burst() > MAX_RATE)) {
            out.add(new Violation(field + "burst", "must be between 1 and " + MAX_RATE));
        }
        String key = limit.key();
        boolean keyOk = key.equals(RateLimit.SOURCE_IP)
                || key.startsWith(RateLimit.HEADER_PREFIX) && TOKEN.matcher(key.substring(RateLimit.HEADER_PREFIX.length())).matches();
        if (!keyOk) {
            out.add(new Violation(field + "key", "must be source-ip or header:<name>, e.g. header:X-Api-Key"));
        }
    }
}
