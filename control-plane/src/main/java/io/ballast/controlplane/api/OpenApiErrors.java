package io.ballast.controlplane.api;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the generated OpenAPI document with what annotations would repeat on every method:
 * the problem+json answers each operation can give (RFC 9457, with the {@code errors} field list),
 * the 202 of {@code ?wait=converged}, and a summary for any operation that lacks one. Runs at build
 * time, so the stored and linted document is the one served at {@code /q/openapi}.
 */
public class OpenApiErrors implements OASFilter {
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? OASFactory.createComponents() : openApi.getComponents();
        openApi.setComponents(components);
        components.addSchema("Violation", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("One thing wrong with the input")
                .addProperty("field", string("Path of the field, e.g. pools[2].backends[0].port"))
                .addProperty("message", string("What is wrong, in words a person can act on"))
                .required(List.of("field", "message")));
        components.addSchema("Problem", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("An RFC 9457 problem document")
                .addProperty("type", string("A URI that identifies the kind of problem"))
                .addProperty("title", string("A short summary of the kind of problem"))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", string("What went wrong this time"))
                .addProperty("errors", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .items(OASFactory.createSchema().ref("#/components/schemas/Violation")))
                .required(List.of("type", "title", "status")));
        if (openApi.getServers() == null || openApi.getServers().isEmpty()) {
            openApi.addServer(OASFactory.createServer().url("/").description("This control plane"));
        }
        if (openApi.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openApi.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/v1")) {
                continue;
            }
            boolean named = path.getKey().contains("{");
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                complete(op.getKey(), op.getValue(), named);
            }
        }
    }

    private static void complete(PathItem.HttpMethod method, Operation operation, boolean named) {
        if (operation.getSummary() == null || operation.getSummary().isBlank()) {
            operation.setSummary(operation.getOperationId() == null ? method.name() : operation.getOperationId());
        }
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        operation.setResponses(responses);
        problem(responses, "400", "Malformed request: the body, a parameter or a header cannot be understood");
        problem(responses, "401", "No bearer token, or one that is not valid");
        problem(responses, "403", "The token's role does not allow this");
        if (named) {
            problem(responses, "404", "The named resource does not exist");
        }
        if (method != PathItem.HttpMethod.GET) {
            problem(responses, "409", "Conflicts with the current state (a duplicate, a pool still in use, or an unsafe change without force=true)");
            problem(responses, "412", "If-Match did not match the current ETag (or revision)");
            problem(responses, "413", "The body is too large");
            problem(responses, "415", "The body's media type is not accepted here");
            problem(responses, "422", "Valid JSON, invalid configuration; errors name each offending field");
        }
        problem(responses, "503", "The database is unavailable; retry later");
        problem(responses, "500", "An unexpected fault; the control-plane log has the details");
    }

    private static void problem(APIResponses responses, String status, String description) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)))));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
