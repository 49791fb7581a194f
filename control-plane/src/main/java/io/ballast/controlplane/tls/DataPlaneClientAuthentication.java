package io.ballast.controlplane.tls;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * With {@code BALLAST_DP_CLIENT_CA} set, the HTTPS server asks each client for a certificate and verifies one that
 * is sent against that CA (a certificate it did not issue fails the handshake). Asking, not requiring: browsers
 * and API clients without a certificate still get the console and the API; the data-plane socket requires one
 * itself. Done here rather than with {@code quarkus.http.ssl.client-auth}, which is fixed when the application is
 * built, so one build serves both setups.
 */
@ApplicationScoped
public class DataPlaneClientAuthentication implements HttpServerOptionsCustomizer {
    private final Optional<String> clientCa;

    DataPlaneClientAuthentication(@ConfigProperty(name = "ballast.dp-client-ca") Optional<String> clientCa) {
        this.clientCa = clientCa.filter(ca -> !ca.isBlank());
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        clientCa.ifPresent(ca -> options.setClientAuth(ClientAuth.REQUEST).setTrustOptions(new PemTrustOptions().addCertPath(ca)));
    }
}
