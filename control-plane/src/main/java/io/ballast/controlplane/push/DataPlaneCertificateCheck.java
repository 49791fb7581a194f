package io.ballast.controlplane.push;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Mutual TLS for data planes: with {@code BALLAST_DP_CLIENT_CA} set, a data-plane upgrade is refused (HTTP 403, before
 * any frame) unless it came over HTTPS with a client certificate that the TLS handshake verified against that CA. The
 * HTTPS port only <em>asks</em> for certificates (the console and API stay reachable without one) and fails the
 * handshake of a certificate the CA did not issue; this check turns "asked" into "required" for the data-plane
 * socket, and refuses the plain port, where no certificate can be presented. Runs beside the token check
 * ({@link DataPlaneUpgradeCheck}): both must pass.
 */
@ApplicationScoped
public class DataPlaneCertificateCheck implements HttpUpgradeCheck {
    private static final Logger LOG = Logger.getLogger(DataPlaneCertificateCheck.class);

    private final boolean required;

    DataPlaneCertificateCheck(@ConfigProperty(name = "ballast.dp-client-ca") Optional<String> clientCa) {
        this.required = clientCa.filter(ca -> !ca.isBlank()).isPresent();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (!required) {
            return CheckResult.permitUpgrade();
        }
        HttpServerRequest request = context.httpRequest();
        if (!request.isSSL()) {
            LOG.infof("Refused a data-plane connection from %s: not over HTTPS, and BALLAST_DP_CLIENT_CA requires a client certificate",
                    request.remoteAddress());
            return CheckResult.rejectUpgrade(403);
        }
        List<Certificate> chain;
        try {
            chain = request.connection().peerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            chain = List.of();
        }
        if (chain == null || chain.isEmpty()) {
            LOG.infof("Refused a data-plane connection from %s: no client certificate (BALLAST_DP_CLIENT_CA requires one)",
                    request.remoteAddress());
            return CheckResult.rejectUpgrade(403);
        }
        if (chain.get(0) instanceof X509Certificate leaf) {
            LOG.debugf("Data-plane client certificate %s from %s", leaf.getSubjectX500Principal().getName(), request.remoteAddress());
        }
        return CheckResult.permitUpgrade();
    }
}
