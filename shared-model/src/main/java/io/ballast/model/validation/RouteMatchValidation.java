package io.ballast.model.validation;

import io.ballast.model.RequestMatch;
import io.ballast.model.RequestMatch.HeaderMatch;
import io.ballast.model.RequestMatch.QueryMatch;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks a route's {@code match} conditions and regular expressions. Stateless and thread-safe. */
final class RouteMatchValidation {
    /** RFC 9110 §5.6.2 token: what a method and a header name may be. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    static final int MAX_CONDITIONS = 32;
    static final int MAX_VALUE = 1024;

    private RouteMatchValidation() {
    }

    static void match(RequestMatch match, String at, List<Violation> out) {
        if (match.conditions() > MAX_CONDITIONS) {
            out.add(new Violation(at.substring(0, at.length() - 1), "at most " + MAX_CONDITIONS + " conditions"));
        }
        Set<String> methods = new HashSet<>();
        for (int i = 0; i < match.methods().size(); i++) {
            String m = match.methods().get(i);
            if (m == null || !TOKEN.matcher(m).matches() || !m.equals(m.toUpperCase(java.util.Locale.ROOT))) {
                out.add(new Violation(at + "methods[" + i + "]", "must be an upper-case HTTP method such as GET or POST"));
            } else if (!methods.add(m)) {
                out.add(new Violation(at + "methods[" + i + "]", m + " is listed twice"));
            }
        }
        for (int i = 0; i < match.headers().size(); i++) {
            header(match.headers().get(i), at + "headers[" + i + "]", out);
        }
        for (int i = 0; i < match.query().size(); i++) {
            query(match.query().get(i), at + "query[" + i + "]", out);
        }
    }

    private static void header(HeaderMatch h, String at, List<Violation> out) {
        if (h == null) {
            out.add(new Violation(at, "must not be null"));
            return;
        }
        if (h.name() == null || !TOKEN.matcher(h.name()).matches()) {
            out.add(new Violation(at + ".name", "is required: a header field name (letters, digits and !#$%&'*+.^_`|~-)"));
        }
        int tests = (h.exact() != null ? 1 : 0) + (h.prefix() != null ? 1 : 0) + (h.regex() != null ? 1 : 0) + (h.present() != null ? 1 : 0);
        if (tests != 1) {
            out.add(new Violation(at, "needs exactly one of exact, prefix, regex or present"));
        }
        if (Boolean.FALSE.equals(h.present())) {
            out.add(new Violation(at + ".present", "must be true; for a header that must be absent use present: true with invert: true"));
        }
        value(h.exact(), at + ".exact", out);
        value(h.prefix(), at + ".prefix", out);
        if (h.regex() != null) {
            regex(h.regex(), at + ".regex", out);
        }
    }

    private static void query(QueryMatch q, String at, List<Violation> out) {
        if (q == null) {
            out.add(new Violation(at, "must not be null"));
            return;
        }
        if (q.name() == null || q.name().isEmpty() || q.name().length() > 256 || hasControl(q.name())) {
            out.add(new Violation(at + ".name", "is required: a parameter name of at most 256 characters without control characters"));
        }
        int tests = (q.exact() != null ? 1 : 0) + (q.regex() != null ? 1 : 0) + (q.present() != null ? 1 : 0);
        if (tests != 1) {
            out.add(new Violation(at, "needs exactly one of exact, regex or present"));
        }
        if (Boolean.FALSE.equals(q.present())) {
            out.add(new Violation(at + ".present", "must be true"));
        }
        value(q.exact(), at + ".exact", out);
        if (q.regex() != null) {
            regex(q.regex(), at + ".regex", out);
        }
    }

    private static void value(String v, String field, List<Violation> out) {
        if (v != null && (v.length() > MAX_VALUE || hasControl(v))) {
            out.add(new Violation(field, "must be at most " + MAX_VALUE + " characters without control characters"));
        }
    }

    /** Compiles {@code regex} once here; the data plane compiles it again once per routing table, never per request. */
    static void regex(String regex, String field, List<Violation> out) {
        if (regex.isEmpty() || regex.length() > MAX_VALUE || hasControl(regex)) {
            out.add(new Violation(field, "must be a regular expression of 1-" + MAX_VALUE + " characters without control characters"));
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            out.add(new Violation(field, "is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex()));
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
