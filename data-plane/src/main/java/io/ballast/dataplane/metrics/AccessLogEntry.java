package io.ballast.dataplane.metrics;

/**
 * One request as the access log records it. Built on the event loop from values already at hand; turned into
 * JSON on the writer thread. Immutable.
 *
 * @param startMillis    when the request head arrived, epoch milliseconds
 * @param client         the peer address
 * @param method         request method
 * @param authority      Host / :authority as sent
 * @param path           path and query as sent
 * @param protocol       {@code HTTP/1.1}, {@code HTTP/2} …
 * @param status         status sent to the client (0 when none was)
 * @param bytesIn        request body bytes received
 * @param bytesOut       response bytes sent
 * @param durationMicros request head to end of response
 * @param upstreamMicros request sent to a backend to its response head; -1 when no backend answered
 * @param pool           pool name, or null
 * @param backend        backend name of the last attempt, or null
 * @param attempts       backends tried
 * @param revision       config revision the request was routed with; -1 when none was loaded
 * @param requestId      the X-Request-Id passed on
 * @param flags          Envoy-style response flags ({@code UH}, {@code UF}, {@code UT}, {@code UC}, {@code DC},
 *                       {@code NR}, {@code UO}, {@code RL}), comma separated, or {@code -}
 * @param tries          when an attempt failed or was retried: every attempt as a JSON array of
 *                       {@code {"backend", "outcome"}} (an outcome is a status or a failure kind such as
 *                       {@code reset}); null for a request answered by its first try
 * @param mirror         on a route that mirrors: {@code sent}, {@code skipped} (not among its {@code percent}), or why
 *                       no copy was sent ({@code too-large}, {@code busy}, {@code no-backend}, {@code cancelled});
 *                       null (left out) on other routes
 */
public record AccessLogEntry(long startMillis, String client, String method, String authority, String path, String protocol,
                             int status, long bytesIn, long bytesOut, long durationMicros, long upstreamMicros, String pool,
                             String backend, int attempts, long revision, String requestId, String flags, String tries,
                             String mirror) {

    /** An entry of a request whose route does not mirror. */
    public AccessLogEntry(long startMillis, String client, String method, String authority, String path, String protocol,
                          int status, long bytesIn, long bytesOut, long durationMicros, long upstreamMicros, String pool,
                          String backend, int attempts, long revision, String requestId, String flags, String tries) {
        this(startMillis, client, method, authority, path, protocol, status, bytesIn, bytesOut, durationMicros, upstreamMicros, pool,
                backend, attempts, revision, requestId, flags, tries, null);
    }

    void appendJson(StringBuilder sb) {
        sb.append("{\"time\":\"").append(java.time.Instant.ofEpochMilli(startMillis)).append('"');
        field(sb, "client", client);
        field(sb, "method", method);
        field(sb, "authority", authority);
        field(sb, "path", path);
        field(sb, "protocol", protocol);
        sb.append(",\"status\":").append(status);
        sb.append(",\"bytesIn\":").append(bytesIn);
        sb.append(",\"bytesOut\":").append(bytesOut);
        sb.append(",\"durationMs\":").append(durationMicros / 1000.0);
        sb.append(",\"upstreamMs\":");
        if (upstreamMicros < 0) {
            sb.append("null");
        } else {
            sb.append(upstreamMicros / 1000.0);
        }
        field(sb, "pool", pool);
        field(sb, "backend", backend);
        sb.append(",\"attempts\":").append(attempts);
        sb.append(",\"revision\":");
        if (revision < 0) {
            sb.append("null");
        } else {
            sb.append(revision);
        }
        field(sb, "requestId", requestId);
        field(sb, "flags", flags);
        if (tries != null) {
            // Built by the proxy from validated backend names and fixed outcome words: already JSON.
            sb.append(",\"tries\":").append(tries);
        }
        if (mirror != null) {
            field(sb, "mirror", mirror);
        }
        sb.append('}');
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(",\"").append(name).append("\":");
        if (value == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
