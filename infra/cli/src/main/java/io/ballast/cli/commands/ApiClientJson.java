package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Request bodies built as trees, so names are escaped as JSON requires. */
final class ApiClientJson {
    private ApiClientJson() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
