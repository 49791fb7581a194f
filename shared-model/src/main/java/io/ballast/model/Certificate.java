package io.ballast.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A PEM certificate chain known to the configuration: with a private key a server (or client)
 * certificate, without one a trust bundle. The private key is accepted when a certificate is read
 * (a REST body or a declarative file) and never written by any mapper ({@code WRITE_ONLY}), so it
 * cannot reach an answer, an export, a diff, a revision or a log line; snapshots carry only
 * {@code hasPrivateKey}, and the key itself travels to data planes beside the snapshot
 * ({@link io.ballast.wire.v1.SnapshotPush#privateKeys()}). Immutable.
 *
 * @param name          unique name (a slug); {@code default} is served to handshakes no other certificate covers
 * @param certificate   the PEM chain, leaf first
 * @param hasPrivateKey whether a private key belongs to it [true when {@code privateKey} is given, else false]
 * @param privateKey    PEM (PKCS#8, PKCS#1 or SEC1); input only, null in every snapshot
 */
public record Certificate(String name, String certificate, Boolean hasPrivateKey,
                          @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String privateKey) {

    public Certificate {
        hasPrivateKey = Objects.requireNonNullElse(hasPrivateKey, privateKey != null);
    }

    /** A certificate as a snapshot holds it: no key material, only whether there is a key. */
    public Certificate withoutPrivateKey() {
        return new Certificate(name, certificate, hasPrivateKey, null);
    }

    public Certificate withName(String newName) {
        return new Certificate(newName, certificate, hasPrivateKey, privateKey);
    }

    /** Never prints the key, so a logged record leaks nothing. */
    @Override
    public String toString() {
        return "Certificate[name=" + name + ", hasPrivateKey=" + hasPrivateKey
                + (privateKey == null ? "" : ", privateKey=(redacted)") + "]";
    }
}
