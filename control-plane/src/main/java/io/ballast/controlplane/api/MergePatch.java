package io.ballast.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * JSON merge patch (RFC 7396): objects merge key by key, {@code null} removes a key (so the
 * field goes back to its default), anything else (arrays included) replaces. Stateless.
 */
final class MergePatch {
    static final String MEDIA_TYPE = "application/merge-patch+json";

    private MergePatch() {
    }

    /** RFC 7396 §2, MergePatch(Target, Patch). Neither argument is modified. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? target.deepCopy() : JsonNodeFactory.instance.objectNode();
        patch.fields().forEachRemaining(entry -> {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                JsonNode current = result.get(entry.getKey());
                result.set(entry.getKey(), apply(current == null ? NullNode.instance : current, entry.getValue()));
            }
        });
        return result;
    }

    /**
     * Parses a PATCH body and returns the function that applies it to a record of {@code type}; run
     * it on the current record inside the write transaction. Fields the record does not have, and
     * values of the wrong type, are refused as a malformed body.
     */
    static <T> UnaryOperator<T> parse(ObjectMapper mapper, String body, Class<T> type) {
        JsonNode patch;
        try {
            patch = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException(e);
        }
        if (patch == null || !patch.isObject()) {
            throw new InvalidRequestException("a JSON merge patch (RFC 7396) object is required, e.g. {\"weight\": 50}", List.of());
        }
        return current -> {
            try {
                return mapper.treeToValue(apply(mapper.valueToTree(current), patch), type);
            } catch (JsonProcessingException e) {
                throw new MalformedBodyException(e);
            } catch (IllegalArgumentException e) {
                // What a record constructor refuses (e.g. a null inside a list), as Jackson reports it.
                throw new InvalidRequestException("the patched resource is malformed: " + e.getMessage(), List.of());
            }
        };
    }
}
