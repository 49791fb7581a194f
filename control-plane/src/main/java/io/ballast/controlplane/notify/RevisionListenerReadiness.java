package io.ballast.controlplane.notify;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness fails while the LISTEN connection is down: this instance would miss commits made through
 * other instances, so a balancer in front of the control planes should prefer another one.
 */
@Readiness
@ApplicationScoped
public class RevisionListenerReadiness implements HealthCheck {
    private final RevisionListener listener;

    RevisionListenerReadiness(RevisionListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("revision-listener").status(listener.listening()).build();
    }
}
