package io.ballast.controlplane.config;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code If-Match} condition (RFC 9110 §13.1.1) on a resource's version. It is checked inside
 * the write transaction, under the configuration lock, so two clients that read the same version
 * cannot both write: the second sees the new version and gets HTTP 412. Immutable and thread-safe.
 */
public final class Precondition {
    /** No {@code If-Match}: the write is unconditional. */
    public static final Precondition NONE = new Precondition(false, List.of(), null);

    private final boolean any;
    private final List<String> tags;
    private final String header;

    private Precondition(boolean any, List<String> tags, String header) {
        this.any = any;
        this.tags = List.copyOf(tags);
        this.header = header;
    }

    /**
     * Parses an {@code If-Match} value: {@code *}, or a list of entity tags such as {@code "7", "8"}.
     * Weak tags ({@code W/"7"}) never match, since If-Match uses strong comparison. An unquoted number
     * is accepted as the same tag, because people type it that way in curl.
     */
    public static Precondition ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        List<String> tags = new ArrayList<>();
        boolean any = false;
        for (String raw : header.split(",")) {
            String tag = raw.trim();
            if (tag.equals("*")) {
                any = true;
            } else if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tags.add(tag.substring(1, tag.length() - 1));
            } else if (!tag.startsWith("W/") && !tag.isEmpty()) {
                tags.add(tag);
            }
        }
        return new Precondition(any, tags, header);
    }

    public boolean isNone() {
        return this == NONE;
    }

    /**
     * @param current the version (or revision number) that is current now
     * @param what    names the resource in the error, e.g. {@code pool 'web'}
     * @throws PreconditionFailedException when the condition does not hold
     */
    public void check(long current, String what) {
        if (this == NONE || any || tags.contains(Long.toString(current))) {
            return;
        }
        throw new PreconditionFailedException(what + " has changed: If-Match was " + header.strip()
                + " but the current ETag is \"" + current + "\"; read it again and retry");
    }
}
