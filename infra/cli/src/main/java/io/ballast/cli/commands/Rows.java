package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.render.Format;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Short cell texts for the resources of the API, shared by {@code get} and {@code describe}. */
final class Rows {
    private Rows() {
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : Format.scalar(v);
    }

    /** {@code http /healthz every 2s}, {@code tcp every 5s}. */
    static String healthCheck(JsonNode pool) {
        JsonNode hc = pool.path("healthCheck");
        if (hc.isMissingNode() || hc.isNull()) {
            return null;
        }
        String type = hc.path("type").asText("http");
        String path = "http".equals(type) ? " " + hc.path("path").asText("/") : "";
        return type + path + " every " + hc.path("interval").asText("5s");
    }

    /** {@code 3} or {@code 3 (1 draining, 1 disabled)}. */
    static String backendCount(JsonNode pool) {
        int total = 0;
        int draining = 0;
        int disabled = 0;
        for (JsonNode b : pool.path("backends")) {
            total++;
            switch (b.path("adminState").asText("enabled")) {
                case "draining" -> draining++;
                case "disabled" -> disabled++;
                default -> { }
            }
        }
        List<String> notes = new ArrayList<>();
        if (draining > 0) {
            notes.add(draining + " draining");
        }
        if (disabled > 0) {
            notes.add(disabled + " disabled");
        }
        return total + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")");
    }

    /** {@code host:port} with brackets for IPv6. */
    static String address(JsonNode backend) {
        String host = backend.path("host").asText();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + backend.path("port").asText();
    }

    static String labels(JsonNode labels) {
        if (labels == null || !labels.isObject() || labels.isEmpty()) {
            return "-";
        }
        List<String> pairs = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = labels.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            pairs.add(e.getKey() + "=" + e.getValue().asText());
        }
        return String.join(",", pairs);
    }

    static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(v -> parts.add(v.asText()));
        return String.join(",", parts);
    }

    /** {@code +1 ~2 -0}. */
    static String summary(JsonNode summary) {
        return "+" + summary.path("created").asInt() + " ~" + summary.path("updated").asInt() + " -" + summary.path("deleted").asInt();
    }

    /** {@code 12/14}: the applied revision and the newest one, or {@code -}. */
    static String revisionOf(JsonNode dp) {
        String applied = dp.path("appliedRevision").isNull() || dp.path("appliedRevision").isMissingNode() ? "-" : dp.path("appliedRevision").asText();
        String latest = dp.path("latestRevision").isNull() || dp.path("latestRevision").isMissingNode() ? "-" : dp.path("latestRevision").asText();
        return applied + "/" + latest;
    }
}
