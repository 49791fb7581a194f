package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.api.ApiProblem;
import io.ballast.cli.api.ApiResponse;
import io.ballast.cli.files.MergedConfig;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sends a merged document to {@code /config} and rewrites the field paths of a refusal so they point
 * into the file each item came from.
 */
final class ConfigCalls {
    private ConfigCalls() {
    }

    static JsonNode validate(ApiClient api, MergedConfig config, boolean prune) {
        return located(config, () -> api.post("/config/validate?prune=" + prune, config.document().toString()).json());
    }

    static JsonNode dryRun(ApiClient api, MergedConfig config, boolean prune, Map<String, String> headers) {
        return located(config, () -> api.put("/config?dryRun=true&prune=" + prune, config.document().toString(), headers).json());
    }

    static JsonNode apply(ApiClient api, MergedConfig config, boolean prune, boolean force, Map<String, String> headers) {
        return apply(api, config, prune, force, "", headers).json();
    }

    /** @param extraQuery more query parameters, each starting with {@code &} (e.g. a canary rollout's) */
    static ApiResponse apply(ApiClient api, MergedConfig config, boolean prune, boolean force, String extraQuery, Map<String, String> headers) {
        try {
            return api.put("/config?prune=" + prune + (force ? "&force=true" : "") + extraQuery, config.document().toString(), headers);
        } catch (ApiProblem p) {
            throw p.withFields(config::locate);
        }
    }

    private static JsonNode located(MergedConfig config, Supplier<JsonNode> call) {
        try {
            return call.get();
        } catch (ApiProblem p) {
            throw p.withFields(config::locate);
        }
    }
}
