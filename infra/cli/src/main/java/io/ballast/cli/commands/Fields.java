package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.render.Format;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** A resource as indented {@code field: value} lines, nested objects as dotted paths. */
final class Fields {
    private Fields() {
    }

    static String lines(JsonNode resource, Set<String> skip) {
        StringBuilder out = new StringBuilder();
        flatten("", resource, skip, out);
        return out.toString();
    }

    private static void flatten(String prefix, JsonNode node, Set<String> skip, StringBuilder out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            if (skip.contains(path)) {
                continue;
            }
            JsonNode v = e.getValue();
            if (v.isObject() && !v.isEmpty()) {
                flatten(path + ".", v, skip, out);
            } else {
                out.append("  ").append(path).append(": ").append(v.isObject() ? "{}" : Format.scalar(v)).append(System.lineSeparator());
            }
        }
    }
}
