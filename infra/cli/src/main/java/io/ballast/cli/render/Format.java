package io.ballast.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;

/** The output formats of {@code -o}: a table for people, JSON and YAML (the API's own answer) for scripts. */
public enum Format {
    table, json, yaml;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    /** {@code tree} as pretty JSON or YAML, ending with a newline. */
    public static String write(JsonNode tree, Format format) {
        try {
            return switch (format) {
                case json -> JSON.writeValueAsString(tree) + System.lineSeparator();
                case yaml -> YAML.writeValueAsString(tree);
                case table -> throw new IllegalArgumentException("a table is rendered by its command");
            };
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value as it appears in a diff line or a table cell: strings bare, anything else as compact JSON. */
    public static String scalar(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
