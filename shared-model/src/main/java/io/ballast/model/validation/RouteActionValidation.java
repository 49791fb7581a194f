package io.ballast.model.validation;

import io.ballast.model.Route;
import io.ballast.model.RouteActions;
import io.ballast.model.RouteActions.DirectResponse;
import io.ballast.model.RouteActions.HeaderEdits;
import io.ballast.model.RouteActions.Redirect;
import io.ballast.model.RouteActions.Rewrite;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks what a route does: that it either forwards to a pool or answers itself, and that its redirect, fixed
 * response, rewrite and header edits are well formed. Header names must be tokens and values visible text
 * (no CR, LF or other control character), and framing and hop-by-hop fields cannot be edited, so no edit can
 * split a message or change how it is delimited. Stateless and thread-safe.
 */
final class RouteActionValidation {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    /** Fields that delimit a message or belong to one connection (RFC 9110 §7.6.1, RFC 9112 §6): not for editing. */
    private static final Set<String> PROTECTED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
            "trailer", "upgrade", "content-length", "host", "http2-settings");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern GROUP_REFERENCE = Pattern.compile("\\$(\\d+)");
    private static final Pattern HOST_PORT = Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\\d{1,5})?");
    static final int MAX_EDITS = 32;
    static final int MAX_BODY = 64 * 1024;

    private RouteActionValidation() {
    }

    static void route(Route route, String at, List<Violation> out) {
        if (route.redirect() != null && route.directResponse() != null) {
            out.add(new Violation(at + "directResponse", "a route answers with a redirect or a fixed response, not both"));
        }
        if (route.answersItself()) {
            if (route.pool() != null || route.pools() != null) {
                out.add(new Violation(at + (route.pool() != null ? "pool" : "pools"),
                        "a route that answers itself (redirect or directResponse) names no pool"));
            }
            if (route.rewrite() != null) {
                out.add(new Violation(at + "rewrite", "applies to requests forwarded to a pool, not to a redirect or fixed response"));
            }
            if (route.requestHeaders() != null && !route.requestHeaders().none()) {
                out.add(new Violation(at + "requestHeaders", "apply to requests forwarded to a pool, not to a redirect or fixed response"));
            }
        }
        if (route.redirect() != null) {
            redirect(route, route.redirect(), at + "redirect.", out);
        }
        if (route.directResponse() != null) {
            direct(route.directResponse(), at + "directResponse.", out);
        }
        if (route.rewrite() != null) {
            rewrite(route, route.rewrite(), at + "rewrite.", out);
        }
        if (route.requestHeaders() != null) {
            edits(route.requestHeaders(), at + "requestHeaders.", out);
        }
        if (route.responseHeaders() != null) {
            edits(route.responseHeaders(), at + "responseHeaders.", out);
        }
    }

    private static void redirect(Route route, Redirect r, String at, List<Violation> out) {
        if (!Set.of(301, 302, 303, 307, 308).contains(r.status())) {
            out.add(new Violation(at + "code", "must be 301, 302, 303, 307 or 308"));
        }
        if (r.scheme() != null && !r.scheme().equals("http") && !r.scheme().equals("https")) {
            out.add(new Violation(at + "scheme", "must be http or https"));
        }
        if (r.host() != null && (r.host().length() > 253 || !ModelValidator.DNS_NAME.matcher(r.host()).matches())) {
            out.add(new Violation(at + "host", "must be a host name"));
        }
        if (r.port() != null && (r.port() < 1 || r.port() > 65535)) {
            out.add(new Violation(at + "port", "must be between 1 and 65535"));
        }
        if (r.path() != null && r.prefixRewrite() != null) {
            out.add(new Violation(at + "prefixRewrite", "path and prefixRewrite are alternatives: give only one"));
        }
        if (r.path() != null && !ModelValidator.PATH.matcher(r.path()).matches()) {
            out.add(new Violation(at + "path", "must start with / and contain only visible characters, without ? or #"));
        }
        if (r.prefixRewrite() != null) {
            prefix(route, r.prefixRewrite(), at + "prefixRewrite", out);
        }
    }

    private static void direct(DirectResponse d, String at, List<Violation> out) {
        if (d.status() == null || d.status() < 200 || d.status() > 599) {
            out.add(new Violation(at + "status", "is required: 200-599"));
        }
        if (d.body() != null && d.body().length() > MAX_BODY) {
            out.add(new Violation(at + "body", "must be at most " + MAX_BODY + " characters"));
        }
        if (d.contentType() != null && (d.contentType().isEmpty() || d.contentType().length() > 256 || !visible(d.contentType()))) {
            out.add(new Violation(at + "contentType", "must be a media type of at most 256 visible characters"));
        }
    }

    private static void rewrite(Route route, Rewrite r, String at, List<Violation> out) {
        if (r.pathPrefix() != null && r.pathRegex() != null) {
            out.add(new Violation(at + "pathRegex", "pathPrefix and pathRegex are alternatives: give only one"));
        }
        if (r.pathPrefix() != null) {
            prefix(route, r.pathPrefix(), at + "pathPrefix", out);
            if (route.stripPrefix()) {
                out.add(new Violation(at + "pathPrefix", "replaces the prefix already; leave stripPrefix out"));
            }
        }
        if (r.pathRegex() != null) {
            String pattern = r.pathRegex().pattern();
            String substitution = r.pathRegex().substitution();
            if (pattern == null) {
                out.add(new Violation(at + "pathRegex.pattern", "is required"));
            } else {
                List<Violation> bad = new java.util.ArrayList<>();
                RouteMatchValidation.regex(pattern, at + "pathRegex.pattern", bad);
                out.addAll(bad);
                if (bad.isEmpty() && substitution != null) {
                    int groups = Pattern.compile(pattern).matcher("").groupCount();
                    Matcher m = GROUP_REFERENCE.matcher(substitution);
                    while (m.find()) {
                        if (m.group(1).length() > 2 || Integer.parseInt(m.group(1)) > groups) {
                            out.add(new Violation(at + "pathRegex.substitution", "refers to group $" + m.group(1) + "; the pattern has "
                                    + groups));
                            break;
                        }
                    }
                }
            }
            if (substitution == null) {
                out.add(new Violation(at + "pathRegex.substitution", "is required (it may be empty)"));
            } else if (substitution.length() > 1024 || !visible(substitution) || substitution.contains(" ")
                    || substitution.contains("?") || substitution.contains("#") || substitution.contains("\\")) {
                out.add(new Violation(at + "pathRegex.substitution", "must be visible characters without spaces, ?, # or \\ (at most 1024)"));
            }
        }
        if (r.host() != null && (r.host().length() > 259 || !HOST_PORT.matcher(r.host()).matches())) {
            out.add(new Violation(at + "host", "must be a host name, optionally with :port"));
        }
    }

    private static void prefix(Route route, String value, String field, List<Violation> out) {
        if (route.pathPrefix() == null) {
            out.add(new Violation(field, "replaces the matched pathPrefix, so the route needs one"));
        }
        if (!ModelValidator.PATH.matcher(value).matches()) {
            out.add(new Violation(field, "must start with / and contain only visible characters, without ? or #"));
        }
    }

    private static void edits(HeaderEdits e, String at, List<Violation> out) {
        if (e.set().size() + e.add().size() + e.remove().size() > MAX_EDITS) {
            out.add(new Violation(at.substring(0, at.length() - 1), "at most " + MAX_EDITS + " edits"));
        }
        values(e.set(), at + "set", out);
        values(e.add(), at + "add", out);
        for (int i = 0; i < e.remove().size(); i++) {
            name(e.remove().get(i), at + "remove[" + i + "]", out);
        }
    }

    private static void values(Map<String, String> edits, String at, List<Violation> out) {
        edits.forEach((name, value) -> {
            String field = at + "." + name;
            name(name, field, out);
            if (value == null || value.length() > 1024 || !fieldValue(value)) {
                out.add(new Violation(field, "must be at most 1024 characters of visible text, spaces or tabs (no CR, LF or other control characters)"));
                return;
            }
            Matcher m = VARIABLE.matcher(value);
            while (m.find()) {
                if (!RouteActions.VARIABLES.contains(m.group(1))) {
                    out.add(new Violation(field, "${" + m.group(1) + "} is not a variable; use "
                            + String.join(", ", RouteActions.VARIABLES.stream().map(v -> "${" + v + "}").toList())));
                }
            }
            if (VARIABLE.matcher(value).replaceAll("").contains("${")) {
                out.add(new Violation(field, "has an unclosed ${"));
            }
        });
    }

    private static void name(String name, String field, List<Violation> out) {
        if (name == null || !TOKEN.matcher(name).matches()) {
            out.add(new Violation(field, "must be a header field name (letters, digits and !#$%&'*+.^_`|~-)"));
        } else if (PROTECTED.contains(name.toLowerCase(Locale.ROOT))) {
            out.add(new Violation(field, name + " frames the message or belongs to the connection and cannot be edited"
                    + (name.equalsIgnoreCase("host") ? " (use rewrite.host)" : "")));
        }
    }

    /** RFC 9110 §5.5 field value: visible characters, spaces and tabs; not starting or ending with whitespace. */
    private static boolean fieldValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return v.isEmpty() || (v.charAt(0) != ' ' && v.charAt(0) != '\t' && v.charAt(v.length() - 1) != ' ' && v.charAt(v.length() - 1) != '\t');
    }

    private static boolean visible(String v) {
        return v.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

}
