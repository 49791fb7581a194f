package io.ballast.controlplane.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Describes the API, its tags and its bearer-token scheme in {@code /q/openapi}. */
@OpenAPIDefinition(
        info = @Info(title = "Ballast control plane API", version = "v1",
                description = "Pools, backends and routes of the Ballast load balancer, their revisions, declarative "
                        + "apply with dry run, and API tokens. Errors are RFC 9457 problems. Every write accepts "
                        + "X-Ballast-Change-Message, If-Match, force=true and wait=converged&timeout=10s."),
        security = @SecurityRequirement(name = "bearer"),
        tags = {
            @Tag(name = "pools", description = "Sets of backends and how traffic is spread and checked over them"),
            @Tag(name = "backends", description = "The servers of a pool, and the operator's drain/enable/disable switch"),
            @Tag(name = "routes", description = "Which requests (host, path prefix) go to which pool"),
            @Tag(name = "revisions", description = "Every configuration change, numbered: history, diffs and rollback"),
            @Tag(name = "config", description = "The whole configuration as one YAML or JSON file: export, validate, dry run, apply"),
            @Tag(name = "tokens", description = "Named API tokens and their roles (admin only)"),
            @Tag(name = "dataplanes", description = "The proxies that carry traffic, and what revision each runs"),
            @Tag(name = "health", description = "Backend health as every data plane sees it: aggregated state and history"),
            @Tag(name = "traffic", description = "Request and 5xx rates of the last 15 minutes, from data-plane heartbeats"),
            @Tag(name = "session", description = "Who the calling token is (name and role)"),
            @Tag(name = "certificates", description = "PEM certificates with their private keys (never answered) or trust bundles"),
            @Tag(name = "rollouts", description = "Canary rollouts (writes with ?rollout=canary): state, cohort members, gate readings, promote and abort")
        })
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A Ballast API token: Authorization: Bearer <token>")
public class OpenApiDefinition extends Application {
}
