package io.ballast.dataplane.routing;

import io.ballast.model.RequestMatch;
import io.ballast.model.RequestMatch.HeaderMatch;
import io.ballast.model.RequestMatch.QueryMatch;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A route's {@code match} conditions, compiled once when the routing table is built: methods as an array,
 * header names as {@link AsciiString}s (case-insensitive lookups without a copy), every regular expression as
 * a {@link Pattern}. A request pays only for the conditions of the routes it is tested against; the query
 * string is decoded only for routes that name a parameter. Immutable and thread-safe.
 */
final class RequestConditions {
    private enum Test { EXACT, PREFIX, REGEX, PRESENT }

    private record HeaderTest(AsciiString name, Test test, String value, Pattern regex, boolean invert) {
        boolean holds(HttpHeaders headers) {
            boolean found = false;
            if (test == Test.PRESENT) {
                found = headers.contains(name);
            } else {
                for (Iterator<String> it = headers.valueStringIterator(name); it.hasNext() && !found; ) {
                    found = matches(test, value, regex, it.next());
                }
            }
            return found != invert;
        }
    }

    private record QueryTest(String name, Test test, String value, Pattern regex) {
        boolean holds(Map<String, List<String>> params) {
            List<String> values = params.get(name);
            if (values == null) {
                return false;
            }
            if (test == Test.PRESENT) {
                return true;
            }
            for (String v : values) {
                if (matches(test, value, regex, v)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final String[] methods;
    private final HeaderTest[] headers;
    private final QueryTest[] query;

    private RequestConditions(String[] methods, HeaderTest[] headers, QueryTest[] query) {
        this.methods = methods;
        this.headers = headers;
        this.query = query;
    }

    /** The compiled conditions, or null when {@code match} has none (such a route matches on host and path alone). */
    static RequestConditions of(RequestMatch match) {
        if (match == null || match.conditions() == 0) {
            return null;
        }
        HeaderTest[] headers = new HeaderTest[match.headers().size()];
        for (int i = 0; i < headers.length; i++) {
            HeaderMatch h = match.headers().get(i);
            Test test = h.exact() != null ? Test.EXACT : h.prefix() != null ? Test.PREFIX : h.regex() != null ? Test.REGEX : Test.PRESENT;
            String value = h.exact() != null ? h.exact() : h.prefix();
            headers[i] = new HeaderTest(AsciiString.of(h.name()), test, value, h.regex() == null ? null : Pattern.compile(h.regex()),
                    h.inverted());
        }
        QueryTest[] query = new QueryTest[match.query().size()];
        for (int i = 0; i < query.length; i++) {
            QueryMatch q = match.query().get(i);
            Test test = q.exact() != null ? Test.EXACT : q.regex() != null ? Test.REGEX : Test.PRESENT;
            query[i] = new QueryTest(q.name(), test, q.exact(), q.regex() == null ? null : Pattern.compile(q.regex()));
        }
        return new RequestConditions(match.methods().toArray(String[]::new), headers, query);
    }

    /** Whether {@code request} meets every condition; a null request (no head at hand) meets none. */
    boolean test(HttpRequest request) {
        if (request == null) {
            return false;
        }
        if (methods.length > 0 && !methodMatches(request.method().name())) {
            return false;
        }
        HttpHeaders h = request.headers();
        for (HeaderTest t : headers) {
            if (!t.holds(h)) {
                return false;
            }
        }
        if (query.length > 0) {
            Map<String, List<String>> params = new QueryStringDecoder(request.uri()).parameters();
            for (QueryTest t : query) {
                if (!t.holds(params)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean methodMatches(String method) {
        for (String m : methods) {
            if (m.equals(method)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Test test, String value, Pattern regex, String actual) {
        return switch (test) {
            case EXACT -> actual.equals(value);
            case PREFIX -> actual.startsWith(value);
            case REGEX -> regex.matcher(actual).matches();
            case PRESENT -> true;
        };
    }
}
