package io.ballast.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a pool's {@code retries.on} may name: one type read by the validator and by the data plane's retry
 * decision, so no value is accepted that the runtime does not act on. Each value says which outcomes of an
 * attempt it retries ({@link #covers}):
 * <ul>
 *   <li>{@code connect-failure}: no connection to the backend (refused, unreachable, connect timeout);</li>
 *   <li>{@code refused-stream}: the backend refused the request before processing any of it: on HTTP/1.1 a
 *       reused keep-alive connection closed before a single response byte (RFC 9112 §9.3.1: the close raced
 *       the request);</li>
 *   <li>{@code reset}: the connection broke before the response head (covers {@code refused-stream}), or the
 *       backend sent something that is not HTTP;</li>
 *   <li>{@code gateway-error}: a 502, 503 or 504 answer, and every failure for which the proxy itself would
 *       answer 502 ({@code connect-failure}, {@code reset});</li>
 *   <li>{@code 5xx}: any 5xx answer, and everything {@code gateway-error} covers;</li>
 *   <li>{@code timeout}: no response head within {@code retries.perTryTimeout}.</li>
 * </ul>
 */
public enum FailureKind {
    CONNECT_FAILURE("connect-failure"),
    REFUSED_STREAM("refused-stream"),
    RESET("reset"),
    GATEWAY_ERROR("gateway-error"),
    SERVER_ERROR("5xx"),
    TIMEOUT("timeout");

    private final String wireName;

    FailureKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The kind spelled {@code name}; IllegalArgumentException listing the choices otherwise. */
    public static FailureKind fromWireName(String name) {
        return Enums.fromWireName(FailureKind.class, values(), FailureKind::wireName, name);
    }

    /** The kinds named by {@code on}; an unknown name throws (validation refuses it before). */
    public static Set<FailureKind> parse(Iterable<String> on) {
        Set<FailureKind> kinds = EnumSet.noneOf(FailureKind.class);
        for (String name : on) {
            kinds.add(fromWireName(name));
        }
        return kinds;
    }

    /**
     * Whether this value retries an attempt that ended in {@code observed}, one of {@link #CONNECT_FAILURE},
     * {@link #REFUSED_STREAM}, {@link #RESET} or {@link #TIMEOUT} (answers are {@link #coversStatus}).
     */
    public boolean covers(FailureKind observed) {
        return switch (this) {
            case CONNECT_FAILURE, TIMEOUT, REFUSED_STREAM -> observed == this;
            case RESET -> observed == RESET || observed == REFUSED_STREAM;
            case GATEWAY_ERROR, SERVER_ERROR -> observed == CONNECT_FAILURE || observed == RESET || observed == REFUSED_STREAM;
        };
    }

    /** Whether this value retries an attempt the backend answered with {@code status}. */
    public boolean coversStatus(int status) {
        return switch (this) {
            case GATEWAY_ERROR -> status == 502 || status == 503 || status == 504;
            case SERVER_ERROR -> status >= 500 && status <= 599;
            default -> false;
        };
    }
}
