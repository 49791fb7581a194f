package io.ballast.controlplane.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The embedded PostgreSQL superuser's password: generated once (256 random bits) into a file that only the
 * control plane's user can read (0600, created with that mode so it is never readable by others, not even for
 * an instant), and read back at every start. It is never logged. Thread-safe (stateless).
 */
final class PostgresPassword {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PostgresPassword() {
    }

    /** The password in {@code file}, created first when absent; the mode is tightened if someone loosened it. */
    static String readOrCreate(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            // base64url: no quote or backslash, so it can sit in SQL and in initdb's password file as is.
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (password.isEmpty() || !password.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            throw new IOException(file + " must hold one base64url password; delete it only together with the database");
        }
        return password;
    }
}
