package io.ballast.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an operator wants for a backend. {@code DRAINING} takes no new requests or connections while
 * in-flight ones finish; {@code DISABLED} takes nothing at all.
 */
public enum AdminState {
    ENABLED("enabled"),
    DRAINING("draining"),
    DISABLED("disabled");

    private final String wireName;

    AdminState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static AdminState fromWireName(String name) {
        return Enums.fromWireName(AdminState.class, values(), AdminState::wireName, name);
    }
}
