package io.ballast.dataplane.proxy;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Copies headers between hops without the hop-by-hop fields: the fixed list of RFC 9110 §7.6.1 (plus the
 * non-standard {@code Proxy-Connection} and {@code Keep-Alive}) and every field named in {@code Connection}.
 * {@code Transfer-Encoding} goes too: each hop frames the body itself. Stateless and thread-safe.
 */
public final class HeaderHygiene {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authenticate", "proxy-authorization");

    private HeaderHygiene() {
    }

    /** Copies every end-to-end header of {@code from} into {@code to}. */
    public static void copyEndToEnd(MultiMap from, MultiMap to) {
        Set<String> named = connectionNamed(from);
        for (Map.Entry<String, String> h : from) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && (named.isEmpty() || !named.contains(name))) {
                to.add(h.getKey(), h.getValue());
            }
        }
    }

    /** The field names listed in the Connection header(s), lower case. */
    static Set<String> connectionNamed(MultiMap headers) {
        Set<String> names = new HashSet<>();
        for (String value : headers.getAll("Connection")) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }
}
