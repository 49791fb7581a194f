package io.ballast.controlplane.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes sure an admin token and a data-plane token exist after start. Secrets from
 * {@code BALLAST_ADMIN_TOKEN} / {@code BALLAST_DATAPLANE_TOKEN} are enforced on every start (so
 * automation knows them); otherwise a random secret is generated once, stored hashed, printed once
 * and written to {@code <data dir>/admin.token} / {@code dataplane.token} with mode 600.
 */
@ApplicationScoped
public class TokenBootstrap {
    private static final Logger LOG = Logger.getLogger(TokenBootstrap.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final TokenService tokens;
    private final Path dataDir;
    private final Optional<String> adminSecret;
    private final Optional<String> dataPlaneSecret;

    TokenBootstrap(TokenService tokens,
                   @ConfigProperty(name = "ballast.data-dir") Path dataDir,
                   @ConfigProperty(name = "ballast.admin-token") Optional<String> adminSecret,
                   @ConfigProperty(name = "ballast.dataplane-token") Optional<String> dataPlaneSecret) {
        this.tokens = tokens;
        this.dataDir = dataDir;
        this.adminSecret = adminSecret;
        this.dataPlaneSecret = dataPlaneSecret;
    }

    void onStart(@Observes StartupEvent event) {
        provision("admin", Role.ADMIN, adminSecret, "BALLAST_ADMIN_TOKEN", "admin.token");
        provision("dataplane", Role.DATAPLANE, dataPlaneSecret, "BALLAST_DATAPLANE_TOKEN", "dataplane.token");
    }

    private void provision(String name, Role role, Optional<String> configured, String envName, String fileName) {
        String[] generated = new String[1];
        TokenService.Provisioned outcome = tokens.provision(name, role, configured, secret -> generated[0] = secret);
        if (outcome == TokenService.Provisioned.SET || outcome == TokenService.Provisioned.UNCHANGED) {
            LOG.infof("Token '%s' (%s) %s from %s", name, role.wireName(), outcome == TokenService.Provisioned.SET ? "set" : "unchanged", envName);
            return;
        }
        if (outcome == TokenService.Provisioned.EXISTS) {
            LOG.infof("Token '%s' (%s) exists; its secret was shown at first start and saved in %s",
                    name, role.wireName(), dataDir.resolve(fileName));
            return;
        }
        String secret = generated[0];
        Path file = dataDir.resolve(fileName);
        boolean saved = save(file, secret);
        // Printed on stdout, not through the log: this is the only time the secret is shown, and log
        // files are shipped and kept where secrets must not go.
        System.out.println("""

                ==================================================================
                 Ballast generated the %s token '%s' (shown only this once):

                   %s

                 %s
                 Set %s to choose it yourself.
                ==================================================================
                """.formatted(role.wireName(), name, secret,
                saved ? "Saved to " + file + " (mode 600)." : "Could not save it to " + file + "; copy it now.",
                envName));
        LOG.infof("Generated token '%s' (%s)", name, role.wireName());
    }

    private static boolean save(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            return true;
        } catch (IOException e) {
            LOG.warnf("Could not write %s: %s", file, e.getMessage());
            return false;
        }
    }
}
