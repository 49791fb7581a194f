package io.ballast.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;

/** A body the API parsed itself (merge patches, declarative files) that is not what it must be (HTTP 400). */
final class MalformedBodyException extends RuntimeException {
    MalformedBodyException(JsonProcessingException cause) {
        super(cause.getOriginalMessage(), cause);
    }

    JsonProcessingException json() {
        return (JsonProcessingException) getCause();
    }
}
