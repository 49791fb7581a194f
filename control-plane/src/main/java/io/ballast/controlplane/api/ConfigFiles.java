package io.ballast.controlplane.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.model.json.BallastJson;
import io.ballast.model.snapshot.ConfigSnapshot;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the declarative file in YAML or JSON. Reading is strict: unknown fields, wrong
 * types and duplicate keys are refused with the path of the offending field, e.g.
 * {@code pools[2].backends[0].port}. Stateless and thread-safe.
 */
final class ConfigFiles {
    static final String YAML = "application/yaml";
    static final Set<String> YAML_TYPES = Set.of(YAML, "application/x-yaml", "text/yaml", "text/x-yaml");

    private ConfigFiles() {
    }

    static boolean isYaml(MediaType type) {
        return type != null && YAML_TYPES.contains(type.getType() + "/" + type.getSubtype());
    }

    static ConfigSnapshot read(String body, MediaType type) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException("a configuration file is required (JSON, or YAML with Content-Type: application/yaml)", List.of());
        }
        ObjectMapper mapper = isYaml(type) ? BallastJson.yaml() : BallastJson.strict();
        ConfigSnapshot file;
        try {
            file = mapper.readerFor(ConfigSnapshot.class)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(body);
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException(e);
        } catch (RuntimeException e) {
            // The YAML parser reports some limits (alias bombs, nesting) with its own unchecked exceptions.
            throw new InvalidRequestException("the file could not be read: " + e.getMessage(), List.of());
        }
        if (file == null) {
            throw new InvalidRequestException("a configuration file is required, not null", List.of());
        }
        return file;
    }

    static String write(ConfigSnapshot config, boolean yaml) {
        try {
            return (yaml ? BallastJson.yaml() : BallastJson.strict()).writerWithDefaultPrettyPrinter().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a snapshot of plain records must serialize", e);
        }
    }
}
