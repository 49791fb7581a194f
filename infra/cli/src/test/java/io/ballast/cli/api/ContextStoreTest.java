package io.ballast.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextStoreTest {
    @TempDir
    Path dir;

    @Test
    void theContextIsSavedOwnerOnlyAndReadBack() throws Exception {
        ContextStore store = ContextStore.locate(null, Map.of("XDG_CONFIG_HOME", dir.toString()));
        assertThat(store.path()).isEqualTo(dir.resolve("ballast/config"));
        store.save(new SavedContext("http://127.0.0.1:9000", "secret-token"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path()))).isEqualTo("rw-------");
        assertThat(store.load()).contains(new SavedContext("http://127.0.0.1:9000", "secret-token"));
        assertThat(store.readableByOthers()).isFalse();
        Files.setPosixFilePermissions(store.path(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(store.readableByOthers()).isTrue();
        store.save(new SavedContext("http://other:9000", "t2"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path()))).isEqualTo("rw-------");
    }

    @Test
    void anExplicitPathWinsOverTheEnvironment() {
        Path explicit = dir.resolve("mine");
        assertThat(ContextStore.locate(explicit, Map.of("BALLAST_CONFIG", "/elsewhere", "XDG_CONFIG_HOME", "/x")).path()).isEqualTo(explicit);
        assertThat(ContextStore.locate(null, Map.of("BALLAST_CONFIG", "/elsewhere", "XDG_CONFIG_HOME", "/x")).path()).isEqualTo(Path.of("/elsewhere"));
    }

    @Test
    void theTokenNeverShowsInToString() {
        assertThat(new SavedContext("http://h", "s3cr3t").toString()).doesNotContain("s3cr3t");
    }

    @Test
    void theEnvironmentWinsOverTheSavedContextAndTheTokenFileOverBoth() throws Exception {
        ContextStore store = new ContextStore(dir.resolve("config"));
        store.save(new SavedContext("http://saved:9000", "saved-token"));
        assertThat(Endpoint.resolve(null, null, Map.of(), store)).isEqualTo(new Endpoint(java.net.URI.create("http://saved:9000"), "saved-token"));
        Endpoint env = Endpoint.resolve(null, null, Map.of("BALLAST_URL", "http://env:1/api/v1/", "BALLAST_TOKEN", "env-token"), store);
        assertThat(env.base().toString()).isEqualTo("http://env:1");
        assertThat(env.token()).isEqualTo("env-token");
        Path file = dir.resolve("token");
        Files.writeString(file, "\n  file-token  \n");
        assertThat(Endpoint.resolve("http://flag:2", file, Map.of("BALLAST_TOKEN", "env-token"), store).token()).isEqualTo("file-token");
    }

    @Test
    void withNothingConfiguredTheMessageSaysWhatToDo() {
        ContextStore none = new ContextStore(dir.resolve("absent"));
        assertThatThrownBy(() -> Endpoint.resolve(null, null, Map.of(), none)).hasMessageContaining("ballast login");
        assertThatThrownBy(() -> Endpoint.resolve(null, null, Map.of("BALLAST_URL", "ftp://x"), none)).hasMessageContaining("no token");
        assertThatThrownBy(() -> Endpoint.baseUri("ftp://x")).hasMessageContaining("not an http");
    }
}
