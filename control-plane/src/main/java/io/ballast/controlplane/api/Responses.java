package io.ballast.controlplane.api;

import io.ballast.controlplane.config.Versioned;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Answers that carry a resource with its ETag (the version of its row). */
final class Responses {
    private Responses() {
    }

    static Response ok(Versioned<?> resource) {
        return Response.ok(resource.value()).tag(etag(resource.version())).build();
    }

    static Response created(URI location, Versioned<?> resource) {
        return Response.created(location).entity(resource.value()).tag(etag(resource.version())).build();
    }

    static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }
}
