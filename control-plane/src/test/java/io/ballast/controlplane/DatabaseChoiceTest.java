package io.ballast.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseChoiceTest {
    private static final Path HOME = Path.of("/home/op");

    @Test
    void withoutAUrlStartsEmbeddedPostgresUnderTheDefaultDataDir() {
        DatabaseChoice choice = DatabaseChoice.fromEnvironment(Map.of(), HOME);
        assertThat(choice).isEqualTo(new DatabaseChoice.Embedded(Path.of("/home/op/.ballast"), Path.of("/home/op/.ballast/postgres")));
    }

    @Test
    void dataDirComesFromTheEnvironment() {
        DatabaseChoice choice = DatabaseChoice.fromEnvironment(Map.of("BALLAST_DATA_DIR", "/var/lib/ballast", "BALLAST_DB_URL", " "), HOME);
        assertThat(choice).isEqualTo(new DatabaseChoice.Embedded(Path.of("/var/lib/ballast"), Path.of("/var/lib/ballast/postgres")));
    }

    @Test
    void aUrlSelectsThatServerWithItsCredentials() {
        DatabaseChoice choice = DatabaseChoice.fromEnvironment(Map.of(
                "BALLAST_DB_URL", "jdbc:postgresql://db:5432/ballast",
                "BALLAST_DB_USER", "ballast",
                "BALLAST_DB_PASSWORD", "pw"), HOME);
        assertThat(choice).isEqualTo(new DatabaseChoice.External(Path.of("/home/op/.ballast"),
                "jdbc:postgresql://db:5432/ballast", Optional.of("ballast"), Optional.of("pw")));
    }

    @Test
    void credentialsAreOptional() {
        DatabaseChoice choice = DatabaseChoice.fromEnvironment(Map.of("BALLAST_DB_URL", "jdbc:postgresql://db/ballast"), HOME);
        assertThat(choice).isInstanceOfSatisfying(DatabaseChoice.External.class, e -> {
            assertThat(e.user()).isEmpty();
            assertThat(e.password()).isEmpty();
        });
    }
}
