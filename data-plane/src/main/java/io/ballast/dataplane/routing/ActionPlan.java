package io.ballast.dataplane.routing;

import io.ballast.model.Route;
import io.ballast.model.RouteActions.DirectResponse;
import io.ballast.model.RouteActions.Redirect;
import io.ballast.model.RouteActions.Rewrite;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What a route does besides choosing a pool, compiled when the routing table is built: a redirect or fixed
 * response it answers itself, the path and host it sends the backend instead, its header edits and its HTTPS
 * policy (a 308 from cleartext, the HSTS value for TLS answers). A route
 * without any of these has no plan (null), so a plain route pays nothing. Immutable and thread-safe.
 */
public final class ActionPlan {
    private static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
    /** Netty has no constant for it (RFC 6797). */
    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");

    private final Redirect redirect;
    private final String matchedPrefix;
    private final HttpResponseStatus directStatus;
    private final byte[] directBody;
    private final String directType;
    private final String prefixRewrite;
    private final Pattern pathPattern;
    private final String pathSubstitution;
    private final String hostRewrite;
    private final HeaderEditor requestHeaders;
    private final HeaderEditor responseHeaders;
    private final boolean httpsRedirect;
    private final String hsts;

    private ActionPlan(Route route) {
        this.redirect = route.redirect();
        this.matchedPrefix = route.pathPrefix();
        DirectResponse d = route.directResponse();
        this.directStatus = d == null ? null : HttpResponseStatus.valueOf(d.status());
        this.directBody = d == null || d.body() == null ? new byte[0] : d.body().getBytes(StandardCharsets.UTF_8);
        this.directType = d == null || d.contentType() == null ? DEFAULT_CONTENT_TYPE : d.contentType();
        Rewrite r = route.rewrite();
        this.prefixRewrite = r == null ? null : r.pathPrefix();
        this.pathPattern = r == null || r.pathRegex() == null ? null : Pattern.compile(r.pathRegex().pattern());
        this.pathSubstitution = r == null || r.pathRegex() == null ? null : r.pathRegex().substitution();
        this.hostRewrite = r == null ? null : r.host();
        this.requestHeaders = HeaderEditor.of(route.requestHeaders());
        this.responseHeaders = HeaderEditor.of(route.responseHeaders());
        this.httpsRedirect = route.redirectsToHttps();
        this.hsts = route.hsts();
    }

    /** The plan of a valid route, or null when it only forwards. */
    static ActionPlan of(Route route) {
        boolean plain = route.redirect() == null && route.directResponse() == null && route.rewrite() == null
                && (route.requestHeaders() == null || route.requestHeaders().none())
                && (route.responseHeaders() == null || route.responseHeaders().none())
                && !route.redirectsToHttps() && route.hsts() == null;
        return plain ? null : new ActionPlan(route);
    }

    /**
     * The path for the backend: the matched prefix of the request's {@code path} replaced, or the regex
     * substitution applied to {@code target} (the path after {@code stripPrefix}).
     */
    String rewritePath(String path, String target) {
        if (prefixRewrite != null) {
            return prefixRewrite + path.substring(matchedPrefix.length());
        }
        if (pathPattern != null) {
            String out = pathPattern.matcher(target).replaceAll(pathSubstitution);
            return out.startsWith("/") ? out : "/" + out;
        }
        return path;
    }

    boolean rewritesPath() {
        return prefixRewrite != null || pathPattern != null;
    }

    /** The route answers itself: {@link #answer} gives the response. */
    public boolean answersItself() {
        return redirect != null || directStatus != null;
    }

    /**
     * The redirect or fixed response for a request.
     *
     * @param path  the request path (without the query)
     * @param query the query with its {@code ?}, or empty
     */
    public FullHttpResponse answer(HttpVersion version, HttpRequest request, String path, String query, boolean tls) {
        FullHttpResponse response;
        if (redirect != null) {
            response = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(redirect.status()), Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.LOCATION, location(request.headers().get(HttpHeaderNames.HOST), path, query, tls));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        } else {
            boolean head = request.method() == HttpMethod.HEAD;
            response = new DefaultFullHttpResponse(version, directStatus,
                    head || directBody.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(directBody));
            if (directBody.length > 0) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, directType);
            }
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, directBody.length);
        }
        return response;
    }

    private String location(String requestHost, String path, String query, boolean tls) {
        String scheme = redirect.scheme() != null ? redirect.scheme() : tls ? "https" : "http";
        String host;
        if (redirect.host() != null) {
            host = redirect.host();
        } else if (requestHost != null && !requestHost.isEmpty()) {
            host = redirect.port() == null ? requestHost : withoutPort(requestHost);
        } else {
            host = null;
        }
        String newPath = redirect.path() != null ? redirect.path()
                : redirect.prefixRewrite() != null ? redirect.prefixRewrite() + path.substring(matchedPrefix.length()) : path;
        if (newPath.isEmpty()) {
            newPath = "/";
        }
        if (host == null) {
            // Nothing to name the authority by (an HTTP/1.0 request without Host): a relative reference (RFC 9110 §10.2.2).
            return newPath + query;
        }
        StringBuilder sb = new StringBuilder(64).append(scheme).append("://").append(host);
        Integer port = redirect.port();
        if (port != null && !(port == 80 && scheme.equals("http")) && !(port == 443 && scheme.equals("https"))) {
            sb.append(':').append(port);
        }
        return sb.append(newPath).append(query).toString();
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** Cleartext requests are answered with {@link #httpsRedirect} instead of being routed on. */
    public boolean redirectsToHttps() {
        return httpsRedirect;
    }

    /**
     * The 308 to the same request over HTTPS: the request's host without its port, then {@code httpsPort} unless it
     * is 443, then the path and query as received (308 keeps the method and body, RFC 9110 §15.4.9).
     *
     * @param requestHost the Host header (null or empty: the caller refuses the request, no URL can be built)
     * @param pathAndQuery the origin-form target, path and query
     */
    public FullHttpResponse httpsRedirect(HttpVersion version, String requestHost, String pathAndQuery, int httpsPort) {
        StringBuilder location = new StringBuilder(64).append("https://").append(withoutPort(requestHost.trim()));
        if (httpsPort != 443) {
            location.append(':').append(httpsPort);
        }
        location.append(pathAndQuery);
        FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.PERMANENT_REDIRECT, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, location.toString());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    /** Adds {@code Strict-Transport-Security} when the route sets it; call for answers over TLS only (RFC 6797 §7.2). */
    public void addHsts(HttpHeaders headers) {
        if (hsts != null) {
            headers.set(STRICT_TRANSPORT_SECURITY, hsts);
        }
    }

    /** Whether request or response headers are edited (then {@link RequestVars} are needed). */
    public boolean editsHeaders() {
        return requestHeaders != null || responseHeaders != null || hostRewrite != null;
    }

    /** Applies the request edits and the host rewrite to the head sent to the backend. */
    public void editRequest(HttpHeaders headers, RequestVars vars) {
        if (requestHeaders != null) {
            requestHeaders.apply(headers, vars);
        }
        if (hostRewrite != null) {
            headers.set(HttpHeaderNames.HOST, hostRewrite);
        }
    }

    /** Applies the response edits to the head sent to the client. */
    public void editResponse(HttpHeaders headers, RequestVars vars) {
        if (responseHeaders != null) {
            responseHeaders.apply(headers, vars);
        }
    }
}
