package io.ballast.controlplane.fleet;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * A random id for this control-plane process, recorded beside each node it holds a socket for, so
 * several instances can share one database without claiming each other's nodes.
 */
@ApplicationScoped
public class ControlPlaneInstance {
    private final String id = "cp-" + UUID.randomUUID().toString().substring(0, 8);

    public String id() {
        return id;
    }
}
