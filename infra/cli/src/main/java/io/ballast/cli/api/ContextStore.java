package io.ballast.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ballast.cli.CliException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The saved context file: {@code $XDG_CONFIG_HOME/ballast/config} (default {@code ~/.config/ballast/config}),
 * or the path given by {@code --config} or {@code BALLAST_CONFIG}. It holds a token, so it is written
 * with mode 0600 from its first byte (a temporary file created with those permissions, then renamed),
 * and a copy that others can read is reported when it is loaded.
 */
public final class ContextStore {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;

    public ContextStore(Path path) {
        this.path = path;
    }

    /** The file to use: the explicit override, then {@code BALLAST_CONFIG}, then the XDG location. */
    public static ContextStore locate(Path override, Map<String, String> env) {
        if (override != null) {
            return new ContextStore(override);
        }
        String explicit = env.get("BALLAST_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return new ContextStore(Path.of(explicit));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new ContextStore(base.resolve("ballast").resolve("config"));
    }

    public Path path() {
        return path;
    }

    /** The saved context, or empty when none was saved. */
    public Optional<SavedContext> load() {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            JsonNode tree = YAML.readTree(path.toFile());
            String url = tree == null ? null : tree.path("url").asText(null);
            String token = tree == null ? null : tree.path("token").asText(null);
            if (url == null || token == null) {
                throw new CliException(path + " is not a ballast context file (it needs 'url' and 'token'); run 'ballast login' again");
            }
            return Optional.of(new SavedContext(url, token));
        } catch (IOException e) {
            throw new CliException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** True when the file exists and group or others may read it. */
    public boolean readableByOthers() {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public void save(SavedContext context) {
        ObjectNode tree = YAML.createObjectNode();
        tree.put("url", context.url());
        tree.put("token", context.token());
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = dir.resolve("." + path.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException e) {
                Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                throw new CliException("another 'ballast login' is writing " + path + "; try again", e);
            }
            Files.writeString(temp, YAML.writeValueAsString(tree));
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.setPosixFilePermissions(path, OWNER_ONLY);
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: nothing more we can do
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
