package io.ballast.dataplane.tls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.ballast.model.tls.PemChain;
import java.time.Duration;
import java.time.Instant;

/**
 * What the admin port tells about the server certificates a data plane serves: a {@code /status} list and the
 * {@code ballast_certificate_expiry_timestamp_seconds{name}} gauge (the leaf's notAfter, as Unix seconds, so an
 * alert can compare it with {@code time()}). Stateless.
 */
public final class CertificateReport {
    private CertificateReport() {
    }

    /** One entry per certificate: name, SAN hosts, validity, fingerprint and whole days left at {@code now}. */
    public static JsonArray status(ServerCertificates certificates, Instant now) {
        JsonArray out = new JsonArray();
        for (ServerCertificate c : certificates.byName().values()) {
            Instant notAfter = c.leaf().getNotAfter().toInstant();
            out.add(new JsonObject()
                    .put("name", c.name())
                    .put("hosts", new JsonArray(c.hosts()))
                    .put("notBefore", c.leaf().getNotBefore().toInstant().toString())
                    .put("notAfter", notAfter.toString())
                    .put("daysLeft", Duration.between(now, notAfter).toDays())
                    .put("fingerprintSha256", PemChain.fingerprint(c.leaf()))
                    .put("keyType", c.key().getAlgorithm()));
        }
        return out;
    }

    /** Prometheus lines (HELP, TYPE and a sample per certificate; just the header when there is none). */
    public static String metrics(ServerCertificates certificates) {
        StringBuilder sb = new StringBuilder("# HELP ballast_certificate_expiry_timestamp_seconds When each served certificate's leaf expires (Unix time).\n"
                + "# TYPE ballast_certificate_expiry_timestamp_seconds gauge\n");
        for (ServerCertificate c : certificates.byName().values()) {
            sb.append("ballast_certificate_expiry_timestamp_seconds{name=\"").append(c.name()).append("\"} ")
                    .append(c.leaf().getNotAfter().toInstant().getEpochSecond()).append('\n');
        }
        return sb.toString();
    }
}
