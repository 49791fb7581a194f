package io.ballast.dataplane.proxy;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Answers the proxy writes itself, as RFC 9457 {@code application/problem+json}: short, and never anything
 * about the backends beyond what the client needs.
 */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String BASE = "https://ballast.io/problems/";

    private Problems() {
    }

    /** Sends the problem unless a response has already started; returns the status sent. */
    public static int send(HttpServerResponse response, int status, String type, String title, String detail) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return status;
        }
        String body = new JsonObject()
                .put("type", BASE + type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .encode();
        response.setStatusCode(status)
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("Cache-Control", "no-store")
                .end(body);
        return status;
    }

    public static int noRoute(HttpServerResponse response, String host, String path) {
        return send(response, 404, "no-route", "No route", "No route matches host '" + host + "' and path '" + path + "'.");
    }

    public static int noConfig(HttpServerResponse response) {
        return send(response, 503, "no-config", "Not configured", "This data plane has not loaded a configuration yet.");
    }

    public static int noHealthyBackend(HttpServerResponse response, String pool) {
        return send(response, 503, "no-healthy-backend", "No healthy backend",
                "Pool '" + pool + "' has no backend that can take the request.");
    }

    public static int overloaded(HttpServerResponse response, String pool) {
        return send(response, 503, "overloaded", "Overloaded",
                "Every backend of pool '" + pool + "' is at its connection limit and the queue of pending requests is full.");
    }

    public static int badGateway(HttpServerResponse response, String pool) {
        return send(response, 502, "bad-gateway", "Bad gateway", "The backend of pool '" + pool + "' failed to answer.");
    }

    public static int gatewayTimeout(HttpServerResponse response, String pool) {
        return send(response, 504, "gateway-timeout", "Gateway timeout",
                "The backend of pool '" + pool + "' did not answer within the pool's request timeout.");
    }
}
