package io.ballast.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.cli.CliException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/** A successful (2xx) answer of the control plane. */
public record ApiResponse(int status, HttpHeaders headers, String body) {
    static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode json() {
        if (body == null || body.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliException("the control plane answered something that is not JSON (HTTP " + status + ")", e);
        }
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }
}
