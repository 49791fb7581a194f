package io.ballast.controlplane;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which PostgreSQL the control plane uses, decided from the environment before Quarkus boots: an
 * external server when {@code BALLAST_DB_URL} is set, otherwise an embedded one whose data lives
 * under {@code BALLAST_DATA_DIR} (so a restart keeps the configuration). Pure, so it is unit-tested.
 */
public sealed interface DatabaseChoice {

    /** Where generated secrets and the embedded database live. */
    Path dataDir();

    /** A server the operator runs; credentials may be absent (e.g. trust or a URL that carries them). */
    record External(Path dataDir, String jdbcUrl, Optional<String> user, Optional<String> password) implements DatabaseChoice {
        public External {
            requireNonNull(dataDir, "dataDir");
            requireNonNull(jdbcUrl, "jdbcUrl");
            requireNonNull(user, "user");
            requireNonNull(password, "password");
        }
    }

    /** A PostgreSQL started by this process with its files in {@code pgDataDir}. */
    record Embedded(Path dataDir, Path pgDataDir) implements DatabaseChoice {
        public Embedded {
            requireNonNull(dataDir, "dataDir");
            requireNonNull(pgDataDir, "pgDataDir");
        }

        /** The superuser password of the embedded server (generated once, mode 0600), beside its data directory. */
        public Path passwordFile() {
            return dataDir.resolve("postgres-password");
        }
    }

    /**
     * @param env      the process environment (or a test's map)
     * @param userHome where {@code ~} is, for the default data directory
     */
    static DatabaseChoice fromEnvironment(Map<String, String> env, Path userHome) {
        Path dataDir = nonBlank(env.get("BALLAST_DATA_DIR"))
                .map(Path::of)
                .orElse(userHome.resolve(".ballast"))
                .toAbsolutePath()
                .normalize();
        Optional<String> url = nonBlank(env.get("BALLAST_DB_URL"));
        if (url.isPresent()) {
            return new External(dataDir, url.get(), nonBlank(env.get("BALLAST_DB_USER")), nonBlank(env.get("BALLAST_DB_PASSWORD")));
        }
        return new Embedded(dataDir, dataDir.resolve("postgres"));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
