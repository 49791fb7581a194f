package io.ballast.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCacheTest {
    @TempDir
    Path dir;

    private static final ConfigSnapshot CONFIG = new ConfigSnapshot(
            List.of(Pool.named("web").withBackends(List.of(Backend.of("10.0.0.1", 8080), Backend.of("10.0.0.2", 8080)))),
            List.of(Route.of("site", "web")));

    @Test
    void noFileMeansEmpty() throws Exception {
        assertThat(new SnapshotCache(dir.resolve("missing")).load()).isEmpty();
    }

    @Test
    void writtenSnapshotLoadsBackIdentical() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir.resolve("nested/dp"));
        cache.write(7, CONFIG.hash(), CONFIG);
        CachedSnapshot loaded = cache.load().orElseThrow();
        assertThat(loaded.revision()).isEqualTo(7);
        assertThat(loaded.hash()).isEqualTo(CONFIG.hash());
        assertThat(loaded.config().hash()).isEqualTo(CONFIG.hash());
        assertThat(Files.list(dir.resolve("nested/dp"))).extracting(p -> p.getFileName().toString())
                .containsExactly(SnapshotCache.FILE_NAME);
    }

    @Test
    void aNewerWriteReplacesTheOld() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        cache.write(1, CONFIG.hash(), CONFIG);
        ConfigSnapshot other = new ConfigSnapshot(List.of(Pool.named("api")), List.of());
        cache.write(2, other.hash(), other);
        assertThat(cache.load().orElseThrow().revision()).isEqualTo(2);
        assertThat(cache.load().orElseThrow().config().pools()).extracting(Pool::name).containsExactly("api");
    }

    @Test
    void aChangedConfigIsRefused() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        cache.write(3, CONFIG.hash(), CONFIG);
        String text = Files.readString(cache.file()).replace("10.0.0.2", "10.0.0.9");
        Files.writeString(cache.file(), text);
        assertThatThrownBy(cache::load).isInstanceOf(SnapshotCache.CorruptCacheException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void aChangedRevisionIsRefused() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        cache.write(3, CONFIG.hash(), CONFIG);
        Files.writeString(cache.file(), Files.readString(cache.file()).replace("\"revision\":3", "\"revision\":4"));
        assertThatThrownBy(cache::load).isInstanceOf(SnapshotCache.CorruptCacheException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void aTruncatedFileIsRefused() throws Exception {
        SnapshotCache cache = new SnapshotCache(dir);
        cache.write(3, CONFIG.hash(), CONFIG);
        byte[] bytes = Files.readAllBytes(cache.file());
        Files.write(cache.file(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(cache::load).isInstanceOf(SnapshotCache.CorruptCacheException.class)
                .hasMessageContaining("not a snapshot cache file");
        Files.write(cache.file(), "garbage".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(cache::load).isInstanceOf(SnapshotCache.CorruptCacheException.class);
    }
}
