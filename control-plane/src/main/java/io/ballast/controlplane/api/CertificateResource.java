package io.ballast.controlplane.api;

import io.ballast.controlplane.certificate.CertificateInfo;
import io.ballast.controlplane.certificate.CertificateService;
import io.ballast.controlplane.revision.Change;
import io.ballast.model.Certificate;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/certificates}: PEM chains with their private keys (server certificates) or without
 * (trust bundles). Answers describe the certificate and never carry the key. Reads need a viewer,
 * writes an admin (the default of {@link io.ballast.controlplane.security.RequiredRole}).
 */
@Path("/api/v1/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "certificates")
public class CertificateResource {
    private final CertificateService certificates;

    CertificateResource(CertificateService certificates) {
        this.certificates = certificates;
    }

    @GET
    @Operation(summary = "List certificates in name order (metadata only, never a key)")
    public Page<CertificateInfo> list(@QueryParam("limit") String limit, @QueryParam("after") String after) {
        int max = Requests.limit(limit);
        return Page.of(certificates.list(after, max + 1), max, CertificateInfo::name);
    }

    @POST
    @Operation(summary = "Create a certificate: a PEM chain (leaf first) and its private key, or a trust bundle without one")
    @APIResponse(responseCode = "201", description = "Created; warnings tell e.g. of a leaf that expires within 30 days",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CertificateInfo.class)))
    public Response create(Certificate body, @BeanParam WriteOptions options, @Context UriInfo uri, @Context SecurityContext security) {
        Change change = options.change(security);
        var created = certificates.create(change, Requests.requireBody(body));
        return Responses.created(uri.getBaseUriBuilder().path("api/v1/certificates").path(created.value().name()).build(), created);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Get a certificate's metadata; the ETag is its version")
    @APIResponse(responseCode = "200", description = "The certificate",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CertificateInfo.class)))
    public Response get(@PathParam("name") String name) {
        return Responses.ok(certificates.get(name));
    }

    @PUT
    @Path("{name}")
    @Operation(summary = "Replace a certificate (rotation): new handshakes get the new one once data planes applied it")
    @APIResponse(responseCode = "200", description = "Replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CertificateInfo.class)))
    public Response replace(@PathParam("name") String name, Certificate body, @BeanParam WriteOptions options,
                            @Context SecurityContext security) {
        Change change = options.change(security);
        return Responses.ok(certificates.replace(change, name, Requests.requireBody(body), options.precondition()));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a certificate")
    public Response delete(@PathParam("name") String name, @BeanParam WriteOptions options, @Context SecurityContext security) {
        certificates.delete(options.change(security), name, options.precondition());
        return Response.noContent().build();
    }
}
