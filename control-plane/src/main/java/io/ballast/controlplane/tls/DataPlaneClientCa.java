package io.ballast.controlplane.tls;

import io.ballast.model.tls.PemChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Mutual TLS for data planes: {@code BALLAST_DP_CLIENT_CA} names a PEM file of the CA(s) whose client certificates a
 * data plane must present, in addition to its token, to connect. The HTTPS port then asks every client for a
 * certificate and verifies one that is sent against this CA (browsers and {@code curl} without one still reach the
 * API and console); the data-plane socket refuses an upgrade that came without a verified certificate, over the
 * plain port included ({@code io.ballast.controlplane.push.DataPlaneCertificateCheck}). Checked before Quarkus boots,
 * like the server certificate, so a bad file stops the start with a message.
 */
public record DataPlaneClientCa(Path file) {
    /** The CA to require, or empty when {@code BALLAST_DP_CLIENT_CA} is unset. */
    public static Optional<DataPlaneClientCa> fromEnvironment(Map<String, String> env) {
        String value = env.getOrDefault("BALLAST_DP_CLIENT_CA", "").trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(value);
        try {
            if (PemChain.parse(Files.readString(file)).isEmpty()) {
                throw new IllegalArgumentException("no certificate in it");
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("BALLAST_DP_CLIENT_CA: " + file + " is not a readable PEM certificate: " + e.getMessage());
        }
        return Optional.of(new DataPlaneClientCa(file));
    }

    /** Hands the CA to the application ({@link DataPlaneClientAuthentication} and the data-plane socket's check read it). */
    public void apply() {
        System.setProperty("ballast.dp-client-ca", file.toString());
    }
}
