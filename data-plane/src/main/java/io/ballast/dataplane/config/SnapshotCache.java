package io.ballast.dataplane.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ballast.model.json.BallastJson;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The last good snapshot on disk, so a restarted data plane serves traffic before (or without) reaching a
 * control plane. A write goes to a temporary file that is fsynced and then renamed over the old one, so a
 * crash leaves either the old or the new file, never half of one. Loading checks the checksum and the
 * config's own hash; a file that fails either is refused. Blocking I/O: call off the event loop.
 * Thread-safe for one writer (the applier serialises writes).
 */
public final class SnapshotCache {
    static final String FILE_NAME = "snapshot.json";

    private final Path dir;

    public SnapshotCache(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    /** Writes the snapshot durably, replacing the previous one. */
    public void write(long revision, String hash, ConfigSnapshot config) throws IOException {
        write(revision, hash, config, java.util.Map.of());
    }

    /** Writes the snapshot and its certificates' keys durably into a file only its owner may read (0600). */
    public void write(long revision, String hash, ConfigSnapshot config, java.util.Map<String, String> privateKeys) throws IOException {
        String canonical = config.canonicalJson();
        CachedSnapshot content = new CachedSnapshot(CachedSnapshot.FORMAT, revision, hash,
                CachedSnapshot.checksumOf(revision, hash, canonical), config.canonical(), privateKeys);
        byte[] bytes = BallastJson.canonical().writeValueAsBytes(content);
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // A full disk leaves half a file behind: remove it, so it neither fills the disk further nor
            // looks like a snapshot to someone inspecting the directory.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory();
    }

    /**
     * The cached snapshot, or empty when there is no file.
     *
     * @throws CorruptCacheException when the file exists but cannot be trusted
     */
    public Optional<CachedSnapshot> load() throws CorruptCacheException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CorruptCacheException(file() + " cannot be read: " + e.getMessage());
        }
        CachedSnapshot cached;
        try {
            cached = BallastJson.lenient().readValue(new String(bytes, StandardCharsets.UTF_8), CachedSnapshot.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CorruptCacheException(file() + " is not a snapshot cache file: " + e.getMessage());
        }
        if (cached == null || cached.config() == null) {
            throw new CorruptCacheException(file() + " holds no config");
        }
        if (cached.format() != CachedSnapshot.FORMAT) {
            throw new CorruptCacheException(file() + " has format " + cached.format() + ", expected " + CachedSnapshot.FORMAT);
        }
        String canonical = cached.config().canonicalJson();
        String actualHash = ConfigSnapshot.sha256(canonical);
        if (!actualHash.equals(cached.hash())) {
            throw new CorruptCacheException(file() + ": config hash " + actualHash + " does not match the recorded " + cached.hash());
        }
        if (!CachedSnapshot.checksumOf(cached.revision(), cached.hash(), canonical).equals(cached.checksum())) {
            throw new CorruptCacheException(file() + ": checksum mismatch");
        }
        return Optional.of(cached);
    }

    /** Makes the rename itself durable (POSIX: fsync the directory); best effort where unsupported. */
    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a directory; the file itself is already synced.
        }
    }

    /** A cache file that exists but fails its checks. */
    public static final class CorruptCacheException extends Exception {
        public CorruptCacheException(String message) {
            super(message);
        }
    }
}
