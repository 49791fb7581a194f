package io.ballast.cli.api;

import io.ballast.cli.CliException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which control plane to call and with which token. The URL comes from {@code --url}, then
 * {@code BALLAST_URL}, then the saved context; the token from {@code --token-file}, then
 * {@code BALLAST_TOKEN}, then {@code BALLAST_TOKEN_FILE}, then the saved context. There is no way to
 * pass a token itself as an argument, so it never lands in shell history or a process list.
 */
public record Endpoint(URI base, String token) {

    @Override
    public String toString() {
        return "Endpoint[" + base + ", token=(hidden)]";
    }

    public static Endpoint resolve(String urlOption, Path tokenFileOption, Map<String, String> env, ContextStore store) {
        Optional<SavedContext> saved = Optional.empty();
        String url = firstNonBlank(urlOption, env.get("BALLAST_URL"));
        String token = tokenFileOption != null ? readTokenFile(tokenFileOption) : null;
        if (token == null) {
            token = firstNonBlank(env.get("BALLAST_TOKEN"), null);
        }
        if (token == null && notBlank(env.get("BALLAST_TOKEN_FILE"))) {
            token = readTokenFile(Path.of(env.get("BALLAST_TOKEN_FILE")));
        }
        if (url == null || token == null) {
            saved = store.load();
        }
        if (url == null) {
            url = saved.map(SavedContext::url).orElseThrow(() -> new CliException(
                    "no control plane to talk to: set BALLAST_URL or run 'ballast login --url URL --token-file FILE'"));
        }
        if (token == null) {
            token = saved.map(SavedContext::token).orElseThrow(() -> new CliException(
                    "no token: set BALLAST_TOKEN (or BALLAST_TOKEN_FILE), pass --token-file, or run 'ballast login'"));
        }
        return new Endpoint(baseUri(url), token);
    }

    /** {@code http://host:9000}, {@code http://host:9000/} and {@code http://host:9000/api/v1} all mean the same. */
    public static URI baseUri(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith("/api/v1")) {
            u = u.substring(0, u.length() - "/api/v1".length());
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new CliException("not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new CliException("not an http:// or https:// URL: " + url);
        }
        return uri;
    }

    /** The first line of a token file, trimmed; '-' reads standard input. */
    public static String readTokenFile(Path file) {
        try {
            String text = file.toString().equals("-") ? new String(System.in.readAllBytes()) : Files.readString(file);
            String token = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(null);
            if (token == null) {
                throw new CliException("the token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new CliException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String firstNonBlank(String a, String b) {
        return notBlank(a) ? a : notBlank(b) ? b : null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
