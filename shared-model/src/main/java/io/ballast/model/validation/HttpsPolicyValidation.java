package io.ballast.model.validation;

import io.ballast.model.Route;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a route's HTTPS policy: {@code hsts} is sent verbatim as a response header, so it must be one line of
 * visible ASCII (no CR/LF that could split the response) and start with the {@code max-age} directive that
 * RFC 6797 §6.1.1 requires. Stateless and thread-safe.
 */
final class HttpsPolicyValidation {
    static final int MAX_HSTS = 256;
    /** {@code max-age=<digits>}, then any further directives in visible ASCII and spaces. */
    private static final Pattern HSTS = Pattern.compile("max-age=\\d{1,10}(?:[;\\x20-\\x7e]*)");

    private HttpsPolicyValidation() {
    }

    static void route(Route route, String at, List<Violation> out) {
        String hsts = route.hsts();
        if (hsts == null) {
            return;
        }
        if (hsts.length() > MAX_HSTS) {
            out.add(new Violation(at + "hsts", "is longer than " + MAX_HSTS + " characters"));
        } else if (!HSTS.matcher(hsts).matches()) {
            out.add(new Violation(at + "hsts", "must start with max-age=<seconds> and contain only visible ASCII and spaces,"
                    + " e.g. 'max-age=31536000; includeSubDomains'"));
        }
    }
}
