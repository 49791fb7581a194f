package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http.HttpMethod;

/**
 * What a Host header and an absolute-form request target may hold (RFC 9110 §7.2, RFC 3986 §3.2). A Host is
 * {@code host[:port]}: a DNS-style name (letters, digits, {@code - . _ ~}), an IPv4 address or a bracketed IPv6
 * literal, and an optional numeric port. That refuses what upstream parsers read differently: a comma (two Host
 * values folded into one), spaces, slashes, userinfo ({@code @}), percent-encoding. Stateless and thread-safe; a
 * loop over the characters, no allocation on the common path.
 */
final class HostRules {
    private HostRules() {
    }

    static boolean validHost(String host) {
        return validHost(host, 0, host.length());
    }

    /** {@code host[:port]} in {@code s[from, to)}; empty is valid (RFC 9112 §3.2: a target without authority). */
    static boolean validHost(CharSequence s, int from, int to) {
        if (from == to) {
            return true;
        }
        int i = from;
        if (s.charAt(i) == '[') {
            for (i++; i < to && s.charAt(i) != ']'; i++) {
                char c = s.charAt(i);
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            if (i == to || i == from + 1) {
                return false;
            }
            i++;
        } else {
            for (; i < to && s.charAt(i) != ':'; i++) {
                char c = s.charAt(i);
                if (!(isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                    return false;
                }
            }
            if (i == from) {
                return false;
            }
        }
        if (i == to) {
            return true;
        }
        if (s.charAt(i) != ':' || to - i - 1 > 5) {
            return false;
        }
        for (i++; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * For a target that does not start with {@code /}: null when it is an {@code http(s)} absolute-form target whose
     * authority is valid and names the same host and port as {@code host} (default ports and case aside), the
     * asterisk form of {@code OPTIONS}, or a {@code CONNECT} target (answered further on); the refusal otherwise.
     */
    static RefusedRequest absoluteFormProblem(HttpMethod method, String uri, String host) {
        if (method == HttpMethod.CONNECT || (method == HttpMethod.OPTIONS && uri.equals("*"))) {
            return null;
        }
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            return RefusedRequest.BAD_TARGET;
        }
        String scheme = uri.substring(0, schemeEnd);
        boolean https = scheme.equalsIgnoreCase("https");
        if (!https && !scheme.equalsIgnoreCase("http")) {
            return RefusedRequest.BAD_AUTHORITY;
        }
        int from = schemeEnd + 3;
        int to = from;
        while (to < uri.length() && uri.charAt(to) != '/' && uri.charAt(to) != '?' && uri.charAt(to) != '#') {
            to++;
        }
        if (to == from || !validHost(uri, from, to)) {
            return RefusedRequest.BAD_AUTHORITY;
        }
        if (host != null && !sameAuthority(uri.substring(from, to), host, https ? ":443" : ":80")) {
            return RefusedRequest.HOST_MISMATCH;
        }
        return null;
    }

    private static boolean sameAuthority(String a, String b, String defaultPort) {
        return withoutPort(a, defaultPort).equalsIgnoreCase(withoutPort(b, defaultPort));
    }

    private static String withoutPort(String authority, String defaultPort) {
        return authority.endsWith(defaultPort) ? authority.substring(0, authority.length() - defaultPort.length()) : authority;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
