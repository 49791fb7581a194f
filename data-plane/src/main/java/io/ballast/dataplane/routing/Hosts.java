package io.ballast.dataplane.routing;

import java.util.Locale;

/** Normalises the Host of a request for route matching. */
public final class Hosts {
    private Hosts() {
    }

    /**
     * Lower case, without the port and without a trailing dot: {@code Shop.Example.com.:8080} becomes
     * {@code shop.example.com}; {@code [::1]:8080} becomes {@code [::1]}. Null or blank gives {@code ""},
     * which only {@code *} routes match.
     */
    public static String normalize(String host) {
        if (host == null || host.isBlank()) {
            return "";
        }
        String h = host.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end > 0 ? h.substring(0, end + 1) : h;
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0) {
                h = h.substring(0, colon);
            }
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }
}
