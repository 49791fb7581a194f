package io.ballast.dataplane.routing;

/**
 * The values that {@code ${…}} variables in header edits stand for, for one request. Created only for requests
 * whose route edits headers. Immutable.
 *
 * @param clientIp  the peer address ({@code ${client_ip}})
 * @param requestId the request id passed on ({@code ${request_id}})
 * @param host      the Host as the client sent it ({@code ${host}})
 * @param scheme    {@code http} or {@code https} ({@code ${scheme}})
 */
public record RequestVars(String clientIp, String requestId, String host, String scheme) {
}
