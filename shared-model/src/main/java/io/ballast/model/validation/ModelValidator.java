package io.ballast.model.validation;

import io.ballast.model.Algorithm;
import io.ballast.model.Backend;
import io.ballast.model.FailureKind;
import io.ballast.model.HealthCheck;
import io.ballast.model.OutlierDetection;
import io.ballast.model.Pool;
import io.ballast.model.RetryPolicy;
import io.ballast.model.Route;
import io.ballast.model.StatusRanges;
import io.ballast.model.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one pool, backend or route on its own (references between resources are the job of
 * {@link io.ballast.model.snapshot.SnapshotValidator}). Stateless and thread-safe.
 */
public final class ModelValidator {
    /** Pool and route names: DNS-label-like slugs, so they are safe in URLs, metrics and logs. */
    public static final Pattern SLUG = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern BACKEND_NAME = Pattern.compile("[A-Za-z0-9\\[][A-Za-z0-9._:\\[\\]-]{0,252}");
    static final Pattern DNS_NAME = Pattern.compile(
            "(?i)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("(?i)[0-9a-f:.]{2,45}");
    private static final Pattern ROUTE_HOST = Pattern.compile(
            "\\*|(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\\d{1,5})?");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e&&[^?#\\\\]]{0,1023}");
    private static final Duration ONE_DAY = Duration.ofDays(1);
    private static final Duration ONE_HOUR = Duration.ofHours(1);

    private final AddressPolicy addressPolicy;

    public ModelValidator(AddressPolicy addressPolicy) {
        this.addressPolicy = addressPolicy;
    }

    public static ModelValidator withDefaults() {
        return new ModelValidator(AddressPolicy.DEFAULT);
    }

    /** Validates the pool's settings and each of its backends (paths under {@code at}). */
    public List<Violation> pool(Pool pool, String at) {
        List<Violation> out = new ArrayList<>();
        poolSettings(pool, at, out);
        for (int i = 0; i < pool.backends().size(); i++) {
            Backend b = pool.backends().get(i);
            if (b == null) {
                out.add(new Violation(at + "backends[" + i + "]", "must not be null"));
            } else {
                backend(b, at + "backends[" + i + "].", out);
            }
        }
        return out;
    }

    public List<Violation> backend(Backend backend, String at) {
        List<Violation> out = new ArrayList<>();
        backend(backend, at, out);
        return out;
    }

    public List<Violation> route(Route route, String at) {
        List<Violation> out = new ArrayList<>();
        slug(route.name(), at + "name", out);
        if (route.hosts().isEmpty()) {
            // [] used to become ["*"]: a route meant for no host (or a template missing its value) caught everything.
            out.add(new Violation(at + "hosts", "must name at least one host; leave it out (or use [\"*\"]) for every host"));
        }
        for (int i = 0; i < route.hosts().size(); i++) {
            String host = route.hosts().get(i);
            if (host == null || !ROUTE_HOST.matcher(host).matches()) {
                out.add(new Violation(at + "hosts[" + i + "]",
                        "must be *, an exact host name such as shop.example.com, or a wildcard such as *.example.com"));
            }
        }
        paths(route, at, out);
        if (route.match() != null) {
            RouteMatchValidation.match(route.match(), at + "match.", out);
        }
        range(route.priority(), -1000, 1000, at + "priority", out);
        if (route.pool() == null && route.pools() == null && !route.answersItself()) {
            out.add(new Violation(at + "pool", "is required: the name of the pool that serves this route"
                    + " (or pools for a weighted split, or a redirect or directResponse that answers instead)"));
        } else if (route.pool() != null) {
            slug(route.pool(), at + "pool", out);
        }
        if (route.pools() != null) {
            split(route, at, out);
        }
        RouteActionValidation.route(route, at, out);
        HttpsPolicyValidation.route(route, at, out);
        MirrorValidation.route(route, at, out);
        RateLimitValidation.route(route, at, out);
        return out;
    }

    private static void split(Route route, String at, List<Violation> out) {
        List<io.ballast.model.WeightedPool> pools = route.pools();
        if (route.pool() != null) {
            out.add(new Violation(at + "pools", "pool and pools are alternatives: one pool, or a weighted split across several"));
        }
        if (pools.isEmpty() || pools.size() > 16) {
            out.add(new Violation(at + "pools", "must name 1 to 16 pools"));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        long total = 0;
        for (int i = 0; i < pools.size(); i++) {
            io.ballast.model.WeightedPool p = pools.get(i);
            String field = at + "pools[" + i + "]";
            if (p == null) {
                out.add(new Violation(field, "must not be null"));
                continue;
            }
            slug(p.pool(), field + ".pool", out);
            if (p.pool() != null && !seen.add(p.pool())) {
                out.add(new Violation(field + ".pool", "pool '" + p.pool() + "' is in the split twice"));
            }
            range(p.weight(), 0, 1000, field + ".weight", out);
            total += Math.max(0, p.weight());
        }
        if (!pools.isEmpty() && total == 0) {
            out.add(new Violation(at + "pools", "at least one weight must be above 0"));
        }
    }

    private static void paths(Route route, String at, List<Violation> out) {
        int given = (route.pathPrefix() != null ? 1 : 0) + (route.pathExact() != null ? 1 : 0) + (route.pathRegex() != null ? 1 : 0);
        if (given > 1) {
            String field = route.pathExact() != null ? "pathExact" : "pathRegex";
            out.add(new Violation(at + field, "pathPrefix, pathExact and pathRegex are alternatives: give only one"
                    + " (in a merge patch, set the others to null)"));
        }
        if (route.pathPrefix() != null && !PATH.matcher(route.pathPrefix()).matches()) {
            out.add(new Violation(at + "pathPrefix", "must start with / and contain only visible characters, without ? or #"));
        }
        if (route.pathExact() != null && !PATH.matcher(route.pathExact()).matches()) {
            out.add(new Violation(at + "pathExact", "must start with / and contain only visible characters, without ? or #"));
        }
        if (route.pathRegex() != null) {
            RouteMatchValidation.regex(route.pathRegex(), at + "pathRegex", out);
        }
        if (route.stripPrefix() && route.pathPrefix() == null) {
            out.add(new Violation(at + "stripPrefix", "applies to pathPrefix only; use rewrite for exact and regex paths"));
        }
    }

    private void poolSettings(Pool pool, String at, List<Violation> out) {
        slug(pool.name(), at + "name", out);
        if (pool.description() != null && (pool.description().length() > 1024 || hasControl(pool.description()))) {
            out.add(new Violation(at + "description", "must be at most 1024 characters without control characters"));
        }
        if (pool.algorithm() == Algorithm.CONSISTENT_HASH) {
            if (pool.hashOn() == null) {
                out.add(new Violation(at + "hashOn", "is required for consistent-hash: source-ip, header:<name> or cookie:<name>"));
            }
        }
        if (pool.hashOn() != null && !validHashOn(pool.hashOn())) {
            out.add(new Violation(at + "hashOn", "must be source-ip, header:<name> or cookie:<name>"));
        }
        if (pool.stickyCookie() != null && !TOKEN.matcher(pool.stickyCookie()).matches()) {
            out.add(new Violation(at + "stickyCookie", "must be a valid cookie name"));
        }
        healthCheck(pool.healthCheck(), at + "healthCheck.", out);
        outlier(pool.outlierDetection(), at + "outlierDetection.", out);
        range(pool.panicThresholdPercent(), 0, 100, at + "panicThresholdPercent", out);
        retries(pool.retries(), pool.timeouts(), at + "retries.", out);
        timeouts(pool.timeouts(), at + "timeouts.", out);
        duration(pool.slowStart(), Duration.ZERO, ONE_HOUR, at + "slowStart", out);
        if (pool.maxConnectionsPerBackend() != null) {
            range(pool.maxConnectionsPerBackend(), 1, 1_000_000, at + "maxConnectionsPerBackend", out);
        }
        if (pool.maxPendingRequests() != null) {
            range(pool.maxPendingRequests(), 0, 1_000_000, at + "maxPendingRequests", out);
        }
        labels(pool.labels(), at + "labels", out);
        protocol(pool, at, out);
        if (pool.tls() != null && pool.tls().sni() != null
                && (!DNS_NAME.matcher(pool.tls().sni()).matches() || pool.tls().sni().length() > 253)) {
            out.add(new Violation(at + "tls.sni", "must be a DNS name"));
        }
    }

    private void backend(Backend b, String at, List<Violation> out) {
        if (b.host() == null || b.host().isBlank()) {
            out.add(new Violation(at + "host", "is required: an IP address or DNS name"));
        } else if (!(DNS_NAME.matcher(b.host()).matches() || (b.host().contains(":") && IPV6.matcher(b.host()).matches()))
                || b.host().length() > 253) {
            out.add(new Violation(at + "host", "must be an IP address or DNS name"));
        } else {
            addressPolicy.refusal(b.host()).ifPresent(reason -> out.add(new Violation(at + "host", reason)));
        }
        if (b.port() == null) {
            out.add(new Violation(at + "port", "is required: 1-65535"));
        } else {
            range(b.port(), 1, 65535, at + "port", out);
        }
        if (b.name() != null && !BACKEND_NAME.matcher(b.name()).matches()) {
            out.add(new Violation(at + "name", "must be 1-253 letters, digits, '.', '-', '_', ':' or brackets"));
        }
        range(b.weight(), 0, 1000, at + "weight", out);
        labels(b.labels(), at + "labels", out);
    }

    /** HTTP/2 over TLS is negotiated by ALPN, so {@code h2} needs the pool's backend TLS; gRPC needs HTTP/2. */
    private static void protocol(Pool pool, String at, List<Violation> out) {
        String protocol = pool.protocol();
        if (protocol != null && !Pool.PROTOCOLS.contains(protocol)) {
            out.add(new Violation(at + "protocol", "must be http1, h2c or h2"));
            return;
        }
        if ("h2".equals(protocol) && !pool.tlsEnabled()) {
            out.add(new Violation(at + "protocol", "h2 needs tls.enabled: true (use h2c for HTTP/2 without TLS)"));
        }
        if ("h2c".equals(protocol) && pool.tlsEnabled()) {
            out.add(new Violation(at + "protocol", "h2c is HTTP/2 without TLS: use h2 with tls.enabled"));
        }
        if ("grpc".equals(pool.healthCheck().type()) && !pool.http2ToBackends()) {
            out.add(new Violation(at + "healthCheck.type", "grpc needs protocol h2c or h2"));
        }
    }

    private void healthCheck(HealthCheck hc, String at, List<Violation> out) {
        if (!hc.type().equals("http") && !hc.type().equals("tcp") && !hc.type().equals("grpc")) {
            out.add(new Violation(at + "type", "must be http, tcp or grpc"));
        }
        if (hc.service() != null && !hc.type().equals("grpc")) {
            out.add(new Violation(at + "service", "is for type grpc only"));
        } else if (hc.service() != null && (hc.service().length() > 256 || hasControl(hc.service()) || hc.service().contains(" "))) {
            out.add(new Violation(at + "service", "must be a gRPC service name (visible characters, at most 256)"));
        }
        if (!TOKEN.matcher(hc.method()).matches() || !hc.method().equals(hc.method().toUpperCase(java.util.Locale.ROOT))) {
            out.add(new Violation(at + "method", "must be an upper-case HTTP method such as GET or HEAD"));
        }
        if (!hc.path().startsWith("/") || hc.path().length() > 1024 || hasControl(hc.path()) || hc.path().contains(" ")) {
            out.add(new Violation(at + "path", "must start with / and contain only visible characters (at most 1024)"));
        }
        if (hc.host() != null && !DNS_NAME.matcher(hc.host()).matches()) {
            out.add(new Violation(at + "host", "must be a host name"));
        }
        if (!StatusRanges.isValid(hc.expectedStatuses())) {
            out.add(new Violation(at + "expectedStatuses", "must be statuses or ranges between 100 and 599, such as 200-399 or 200,204"));
        }
        duration(hc.interval(), Duration.ofMillis(100), ONE_HOUR, at + "interval", out);
        duration(hc.timeout(), Duration.ofMillis(10), Duration.ofMinutes(5), at + "timeout", out);
        duration(hc.transitionInterval(), Duration.ofMillis(100), ONE_HOUR, at + "transitionInterval", out);
        range(hc.healthyThreshold(), 1, 100, at + "healthyThreshold", out);
        range(hc.unhealthyThreshold(), 1, 100, at + "unhealthyThreshold", out);
        if (hc.probers() != null && (hc.probers() < 1 || hc.probers() > 1000)) {
            out.add(new Violation(at + "probers", "must be between 1 and 1000 (data planes that actively probe each backend)"));
        }
        if (!hc.initialState().equals("initial") && !hc.initialState().equals("healthy")) {
            out.add(new Violation(at + "initialState", "must be initial (no traffic until the first pass) or healthy"));
        }
    }

    private void outlier(OutlierDetection od, String at, List<Violation> out) {
        range(od.consecutive5xx(), 0, 10_000, at + "consecutive5xx", out);
        range(od.consecutiveGatewayFailures(), 0, 10_000, at + "consecutiveGatewayFailures", out);
        duration(od.baseEjectionTime(), Duration.ZERO, ONE_HOUR, at + "baseEjectionTime", out);
        range(od.maxEjectionPercent(), 0, 100, at + "maxEjectionPercent", out);
    }

    private void retries(RetryPolicy rp, Timeouts timeouts, String at, List<Violation> out) {
        range(rp.attempts(), 1, 10, at + "attempts", out);
        boolean onTimeout = false;
        for (int i = 0; i < rp.on().size(); i++) {
            String name = rp.on().get(i);
            try {
                onTimeout |= FailureKind.fromWireName(name) == FailureKind.TIMEOUT;
            } catch (IllegalArgumentException | NullPointerException e) {
                out.add(new Violation(at + "on[" + i + "]", "must be one of " + String.join(", ",
                        Arrays.stream(FailureKind.values()).map(FailureKind::wireName).toList())));
            }
        }
        range(rp.budgetPercent(), 0, 100, at + "budgetPercent", out);
        if (rp.perTryTimeout() != null) {
            // A try that may last as long as the whole request leaves no time for another.
            duration(rp.perTryTimeout(), Duration.ofMillis(1), timeouts.request(), at + "perTryTimeout", out);
        } else if (onTimeout) {
            // Without a per-try deadline only the request timeout ends a slow try, and then nothing is left to retry.
            out.add(new Violation(at + "perTryTimeout", "is required when on names timeout: how long one try may wait for a response head"));
        }
    }

    private void timeouts(Timeouts t, String at, List<Violation> out) {
        duration(t.connect(), Duration.ofMillis(1), Duration.ofMinutes(5), at + "connect", out);
        duration(t.request(), Duration.ofMillis(1), ONE_DAY, at + "request", out);
        duration(t.idle(), Duration.ofMillis(1), ONE_DAY, at + "idle", out);
    }

    private static boolean validHashOn(String hashOn) {
        if (hashOn.equals("source-ip")) {
            return true;
        }
        for (String prefix : new String[] {"header:", "cookie:"}) {
            if (hashOn.startsWith(prefix)) {
                return TOKEN.matcher(hashOn.substring(prefix.length())).matches();
            }
        }
        return false;
    }

    private static void slug(String name, String field, List<Violation> out) {
        if (name == null) {
            out.add(new Violation(field, "is required"));
        } else if (!SLUG.matcher(name).matches()) {
            out.add(new Violation(field, "must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit"));
        }
    }

    private static void range(Integer value, int min, int max, String field, List<Violation> out) {
        if (value != null && (value < min || value > max)) {
            out.add(new Violation(field, "must be between " + min + " and " + max));
        }
    }

    private static void duration(Duration value, Duration min, Duration max, String field, List<Violation> out) {
        if (value != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
            out.add(new Violation(field, "must be between " + io.ballast.model.Durations.format(min)
                    + " and " + io.ballast.model.Durations.format(max)));
        }
    }

    private static void labels(Map<String, String> labels, String field, List<Violation> out) {
        if (labels.size() > 64) {
            out.add(new Violation(field, "at most 64 labels"));
        }
        labels.forEach((k, v) -> {
            if (!LABEL_KEY.matcher(k).matches()) {
                out.add(new Violation(field + "." + k, "label keys are 1-63 letters, digits, '.', '_', '/' or '-'"));
            } else if (v == null || v.length() > 256 || hasControl(v)) {
                out.add(new Violation(field + "." + k, "label values are at most 256 characters without control characters"));
            }
        });
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
