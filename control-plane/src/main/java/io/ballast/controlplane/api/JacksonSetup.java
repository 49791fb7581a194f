package io.ballast.controlplane.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.model.json.BallastJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Teaches Quarkus's ObjectMapper the model's spelling of durations ({@code 2s}, {@code 500ms}), so
 * REST bodies read and write exactly like the declarative file and the wire protocol.
 */
@Singleton
public class JacksonSetup implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(BallastJson.module());
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // {"name":"x"}} is not a JSON document; Jackson would otherwise read the first value and stop.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // No quiet conversions ("80" for a port, 80.5 for an integer, 123 for a name) and no duplicate keys.
        BallastJson.strictInput(mapper);
    }

    @Override
    public int priority() {
        // After Quarkus's own customizers (which register JavaTimeModule's Duration handling).
        return MINIMUM_PRIORITY;
    }
}
