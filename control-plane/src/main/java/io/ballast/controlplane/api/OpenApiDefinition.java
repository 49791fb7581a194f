package io.ballast.controlplane.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** Describes the API and its bearer-token scheme in {@code /q/openapi}. */
@OpenAPIDefinition(
        info = @Info(title = "Ballast control plane API", version = "v1"),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A Ballast API token: Authorization: Bearer <token>")
public class OpenApiDefinition extends Application {
}
