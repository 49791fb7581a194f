package io.ballast.controlplane.api;

import jakarta.ws.rs.core.SecurityContext;

/** The author of a revision: the name of the token that made the request. */
final class Authors {
    private Authors() {
    }

    static String of(SecurityContext security) {
        return security.getUserPrincipal() == null ? "anonymous" : security.getUserPrincipal().getName();
    }
}
