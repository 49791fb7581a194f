package io.ballast.model.validation;

import io.ballast.model.Mirror;
import io.ballast.model.Route;
import java.util.List;

/**
 * Checks a route's {@code mirror} on its own: a pool name, a percent in 0-100, a body limit in 0-1 MiB, and a
 * route that forwards (a redirect or fixed response has no request to copy). Whether the pool exists is checked
 * with the other references. Stateless and thread-safe.
 */
final class MirrorValidation {
    private MirrorValidation() {
    }

    static void route(Route route, String at, List<Violation> out) {
        Mirror mirror = route.mirror();
        if (mirror == null) {
            return;
        }
        if (route.answersItself()) {
            out.add(new Violation(at + "mirror", "copies requests forwarded to a pool, not those a redirect or directResponse answers"));
        }
        String field = at + "mirror.";
        if (mirror.pool() == null) {
            out.add(new Violation(field + "pool", "is required: the name of the pool that receives the copies"));
        } else if (!ModelValidator.SLUG.matcher(mirror.pool()).matches()) {
            out.add(new Violation(field + "pool", "must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit"));
        }
        if (mirror.percent() < 0 || mirror.percent() > 100) {
            out.add(new Violation(field + "percent", "must be between 0 and 100"));
        }
        if (mirror.maxBody() < 0 || mirror.maxBody() > Mirror.MAX_MAX_BODY) {
            out.add(new Violation(field + "maxBody", "must be between 0 and " + Mirror.MAX_MAX_BODY + " bytes"));
        }
    }
}
