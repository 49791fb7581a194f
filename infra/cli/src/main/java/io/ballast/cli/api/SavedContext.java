package io.ballast.cli.api;

import static java.util.Objects.requireNonNull;

/**
 * Where the control plane is and the token to call it with, as {@code ballast login} saved them.
 * {@link #toString()} never shows the token.
 */
public record SavedContext(String url, String token) {
    public SavedContext {
        requireNonNull(url, "url");
        requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "SavedContext[url=" + url + ", token=(hidden)]";
    }
}
