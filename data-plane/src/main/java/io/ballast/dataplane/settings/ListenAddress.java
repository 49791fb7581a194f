package io.ballast.dataplane.settings;

import static java.util.Objects.requireNonNull;

/**
 * A host and port to listen on, written {@code host:port} or {@code [v6]:port}. Immutable.
 *
 * @param host an IP address or name; never bracketed
 * @param port 0–65535; 0 asks the system for a free port (tests)
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
    }

    /** Parses {@code 0.0.0.0:8080}, {@code [::1]:8080} or {@code localhost:0}. */
    public static ListenAddress parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, e.g. [::1]:8080");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric port");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        return new ListenAddress(host, port);
    }

    public ListenAddress withPort(int newPort) {
        return new ListenAddress(host, newPort);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
