package io.ballast.wire.v1;

import io.ballast.model.validation.Violation;
import java.util.List;

/** Data plane → control plane: the snapshot was refused; the previous config keeps serving. */
public record Nack(long revision, String hash, List<Violation> errors) implements WireMessage {
    public Nack {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
