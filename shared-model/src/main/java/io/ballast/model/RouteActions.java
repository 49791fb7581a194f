package io.ballast.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What a route does besides (or instead of) forwarding: answer a redirect or a fixed response itself, rewrite
 * the path or host sent to the backend, and edit request and response headers. Holder of the record types;
 * the fields live on {@link Route}.
 */
public final class RouteActions {
    private RouteActions() {
    }

    /** Variables a header value may use, replaced per request. */
    public static final List<String> VARIABLES = List.of("client_ip", "request_id", "host", "scheme");

    /**
     * Answer with a redirect, built from the request: each field given replaces that part of the URL.
     *
     * @param scheme        {@code http} or {@code https} [the request's]
     * @param host          the host [the request's Host]
     * @param port          the port [none when {@code host} is given, else the request's]
     * @param path          the whole path [the request's]
     * @param prefixRewrite replaces the route's matched {@code pathPrefix} (instead of {@code path})
     * @param code          301, 302, 303, 307 or 308 [301]
     */
    public record Redirect(String scheme, String host, Integer port, String path, String prefixRewrite, Integer code) {
        public int status() {
            return code == null ? 301 : code;
        }
    }

    /**
     * Answer with a fixed response.
     *
     * @param status      100-599... in practice 200-599
     * @param body        the body [empty]
     * @param contentType its media type [text/plain; charset=utf-8]
     */
    public record DirectResponse(Integer status, String body, String contentType) {
    }

    /**
     * Change what the backend receives.
     *
     * @param pathPrefix replaces the route's matched {@code pathPrefix}
     * @param pathRegex  replaces the parts of the path its pattern matches ({@code $1} refers to a group)
     * @param host       the Host header sent to the backend
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rewrite(String pathPrefix, PathRegex pathRegex, String host) {
    }

    public record PathRegex(String pattern, String substitution) {
    }

    /**
     * Header edits, applied in the order remove, set, add; values may use {@code ${client_ip}},
     * {@code ${request_id}}, {@code ${host}} and {@code ${scheme}}.
     *
     * @param set    replace every field of that name
     * @param add    add a field, keeping those already there
     * @param remove drop every field of that name
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record HeaderEdits(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public HeaderEdits {
            set = set == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(set));
            add = add == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(add));
            remove = remove == null ? List.of() : List.copyOf(remove);
        }

        public boolean none() {
            return set.isEmpty() && add.isEmpty() && remove.isEmpty();
        }
    }
}
