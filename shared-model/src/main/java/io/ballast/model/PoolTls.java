package io.ballast.model;

import java.util.Objects;

/**
 * TLS toward a pool's backends (proxied requests and HTTP health checks alike).
 *
 * @param enabled           use TLS [false]
 * @param sni               the server name sent and verified [the backend's host]
 * @param verify            verify the backend's certificate chain and name [true]; a backend that fails is
 *                          unhealthy ({@code TlsVerificationFailed}) and gets no traffic
 * @param caCertificate     name of a certificate (a trust bundle) to verify against [the JVM's default trust]
 * @param clientCertificate name of a certificate with a private key presented to backends (upstream mutual TLS)
 */
public record PoolTls(Boolean enabled, String sni, Boolean verify, String caCertificate, String clientCertificate) {
    public PoolTls {
        enabled = Objects.requireNonNullElse(enabled, false);
        verify = Objects.requireNonNullElse(verify, true);
    }

    /** The server name for a backend whose host is {@code backendHost}. */
    public String serverName(String backendHost) {
        return sni != null && !sni.isBlank() ? sni : backendHost;
    }
}
