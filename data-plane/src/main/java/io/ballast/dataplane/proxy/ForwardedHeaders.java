package io.ballast.dataplane.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The de-facto {@code X-Forwarded-*} headers. The client address is appended to any
 * {@code X-Forwarded-For} the client sent (whether to trust that is the backend's choice); proto and host
 * are what this hop saw. Stateless and thread-safe.
 */
final class ForwardedHeaders {
    private ForwardedHeaders() {
    }

    static void add(HttpServerRequest request, String originalHost, MultiMap out) {
        SocketAddress remote = request.remoteAddress();
        if (remote != null && remote.hostAddress() != null) {
            String previous = String.join(", ", out.getAll("X-Forwarded-For"));
            out.set("X-Forwarded-For", previous.isBlank() ? remote.hostAddress() : previous + ", " + remote.hostAddress());
        }
        out.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
        if (originalHost != null) {
            out.set("X-Forwarded-Host", originalHost);
        }
    }
}
