package io.ballast.controlplane.security;

import io.ballast.controlplane.persistence.TransactionRetry;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import io.vertx.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;

/**
 * Authenticates every REST call under {@code /api/v1} and enforces the endpoint's {@link RequiredRole}.
 * Quarkus REST runs (non pre-matching) filters on the endpoint's thread, a worker thread for our
 * blocking resources, so the JDBC work in {@link TokenService} does not block an event loop.
 * {@code /q/*} (health, OpenAPI) is served outside JAX-RS and stays open.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
    @jakarta.ws.rs.core.Context
    ResourceInfo resourceInfo;

    private final TokenService tokens;
    private final TransactionRetry retry;

    BearerTokenFilter(TokenService tokens, TransactionRetry retry) {
        this.tokens = tokens;
        this.retry = retry;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (Context.isOnEventLoopThread()) {
            // Fail loudly (tests catch it) rather than stall every connection on this loop.
            throw new IllegalStateException("token checks use JDBC and must not run on a Vert.x event loop");
        }
        String token = BearerTokens.fromHeader(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .orElseThrow(() -> new AuthenticationRequiredException("send 'Authorization: Bearer <token>'"));
        // A read (and a last-use stamp), safe to repeat: a connection a failover broke must not turn into a 503.
        Caller caller = retry.runRead("token check", () -> tokens.authenticate(token))
                .orElseThrow(() -> new AuthenticationRequiredException("the bearer token is not valid"));
        Role required = required(resourceInfo.getResourceMethod(), resourceInfo.getResourceClass(), request.getMethod());
        if (caller.role() == Role.DATAPLANE) {
            throw new AccessDeniedException("data-plane tokens may only connect to /api/v1/dataplanes/connect");
        }
        if (!caller.role().allowsRest(required)) {
            throw new AccessDeniedException("this needs role " + required.wireName() + "; token '" + caller.name()
                    + "' has role " + caller.role().wireName());
        }
        request.setSecurityContext(new CallerContext(caller, request.getSecurityContext().isSecure()));
    }

    static Role required(Method method, Class<?> type, String httpMethod) {
        RequiredRole onMethod = method == null ? null : method.getAnnotation(RequiredRole.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        RequiredRole onType = type == null ? null : type.getAnnotation(RequiredRole.class);
        if (onType != null) {
            return onType.value();
        }
        return HttpMethod.GET.equals(httpMethod) || HttpMethod.HEAD.equals(httpMethod) ? Role.VIEWER : Role.ADMIN;
    }

    /** Exposes the caller to resources through the standard {@link SecurityContext}. */
    private record CallerContext(Caller caller, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.role().wireName().equals(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
