package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.cli.CliException;
import io.ballast.cli.api.ApiClient;

/** Reads every page of a list ({@code {items, next}}) into one {@code {items}} document. */
final class Lists {
    /** More pages than any real configuration has; a guard against a cursor that never ends. */
    private static final int MAX_PAGES = 1000;

    private Lists() {
    }

    /** @param path a list path, e.g. {@code /pools}; {@code cursor} is {@code after} (or {@code before} for revisions) */
    static ObjectNode all(ApiClient api, String path, String cursor) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        String next = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String sep = path.contains("?") ? "&" : "?";
            JsonNode answer = api.get(path + (next == null ? "" : sep + cursor + "=" + ApiClient.segment(next))).json();
            items.addAll((ArrayNode) answer.withArray("items"));
            JsonNode n = answer.get("next");
            if (n == null || n.isNull()) {
                ObjectNode result = JsonNodeFactory.instance.objectNode();
                result.set("items", items);
                return result;
            }
            next = n.asText();
        }
        throw new CliException(path + " has more than " + MAX_PAGES + " pages");
    }
}
