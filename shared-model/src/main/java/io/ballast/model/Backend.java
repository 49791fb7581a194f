package io.ballast.model;

import java.util.Map;
import java.util.Objects;

/**
 * One server in a pool.
 *
 * @param name       unique in its pool [host:port]
 * @param host       IP address or DNS name
 * @param port       1–65535
 * @param weight     share of traffic, 0–1000 [100]; 0 takes the backend out of rotation
 * @param adminState what the operator wants [enabled]
 * @param labels     free-form key/value pairs
 */
public record Backend(String name, String host, Integer port, Integer weight, AdminState adminState, Map<String, String> labels) {

    public static final int DEFAULT_WEIGHT = 100;

    public Backend {
        if (name == null && host != null && port != null) {
            name = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
        weight = Objects.requireNonNullElse(weight, DEFAULT_WEIGHT);
        adminState = Objects.requireNonNullElse(adminState, AdminState.ENABLED);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static Backend of(String host, int port) {
        return new Backend(null, host, port, null, null, null);
    }

    public Backend withName(String newName) {
        return new Backend(newName, host, port, weight, adminState, labels);
    }

    public Backend withWeight(int newWeight) {
        return new Backend(name, host, port, newWeight, adminState, labels);
    }

    public Backend withAdminState(AdminState newState) {
        return new Backend(name, host, port, weight, newState, labels);
    }

    /** {@code host:port}: what identifies the server itself, whatever its name. */
    public String address() {
        return host + ":" + port;
    }
}
