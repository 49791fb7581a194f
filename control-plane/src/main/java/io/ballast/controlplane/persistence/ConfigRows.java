package io.ballast.controlplane.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.model.AdminState;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.json.BallastJson;
import java.util.List;
import java.util.Map;

/**
 * Converts between shared-model records and rows. JSON columns are written with the canonical
 * mapper (stable bytes, defaults written out) and read leniently, so a field added to a record in a
 * later version does not make older rows unreadable. Stateless and thread-safe.
 */
public final class ConfigRows {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private ConfigRows() {
    }

    /** The pool's settings column: the record without {@code name} and {@code backends}, which live elsewhere. */
    public static String poolSettings(Pool pool) {
        ObjectNode tree = BallastJson.canonical().valueToTree(pool.withBackends(List.of()));
        tree.remove("name");
        tree.remove("backends");
        return write(tree);
    }

    public static Pool pool(PoolEntity row, List<BackendEntity> backends) {
        ObjectNode tree = (ObjectNode) read(row.settings);
        tree.put("name", row.name);
        tree.remove("backends");
        Pool settings = convert(tree, Pool.class);
        return settings.withBackends(backends.stream().map(ConfigRows::backend).toList());
    }

    public static Backend backend(BackendEntity row) {
        return new Backend(row.name, row.host, row.port, row.weight, AdminState.fromWireName(row.adminState), labels(row.labels));
    }

    /** Copies every field of {@code backend} onto {@code row} (the pool stays as it is). */
    public static void copy(Backend backend, BackendEntity row) {
        row.name = backend.name();
        row.host = backend.host();
        row.port = backend.port();
        row.weight = backend.weight();
        row.adminState = backend.adminState().wireName();
        row.labels = labelsJson(backend.labels());
    }

    public static String routeSettings(Route route) {
        return write(BallastJson.canonical().valueToTree(route));
    }

    public static Route route(RouteEntity row) {
        return convert(read(row.settings), Route.class);
    }

    public static Map<String, String> labels(String json) {
        try {
            return json == null ? Map.of() : BallastJson.lenient().readValue(json, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("labels column is not a JSON object of strings", e);
        }
    }

    public static String labelsJson(Map<String, String> labels) {
        return write(BallastJson.canonical().valueToTree(labels == null ? Map.of() : labels));
    }

    /** Any value as canonical JSON (e.g. a nack's errors). */
    public static String json(Object value) {
        return write(BallastJson.canonical().valueToTree(value));
    }

    private static String write(JsonNode tree) {
        try {
            return BallastJson.canonical().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree must serialize", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return BallastJson.lenient().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings column is not JSON", e);
        }
    }

    private static <T> T convert(JsonNode tree, Class<T> type) {
        ObjectMapper mapper = BallastJson.lenient();
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings column does not hold a " + type.getSimpleName(), e);
        }
    }
}
