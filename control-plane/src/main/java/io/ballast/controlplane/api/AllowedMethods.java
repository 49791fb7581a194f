package io.ballast.controlplane.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The HTTP methods the API's resources take on a path, read once from their JAX-RS annotations, so a
 * 405 can say "use PUT" (Quarkus REST answers 405 without an {@code Allow} list). Immutable after
 * construction; thread-safe.
 */
final class AllowedMethods {
    private static final List<Class<?>> RESOURCES = List.of(ApiIndexResource.class, ConfigResource.class, PoolResource.class,
            BackendResource.class, RouteResource.class, RevisionResource.class, TokenResource.class, DataPlaneResource.class,
            HealthResource.class, PoolHealthResource.class);
    private static final AllowedMethods INSTANCE = new AllowedMethods(RESOURCES);

    private record Entry(Pattern path, String method) {
    }

    private final List<Entry> entries = new ArrayList<>();

    AllowedMethods(List<Class<?>> resources) {
        for (Class<?> type : resources) {
            Path base = type.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method m : type.getMethods()) {
                String http = httpMethod(m);
                if (http == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                entries.add(new Entry(template(base.value() + (sub == null ? "" : "/" + sub.value())), http));
            }
        }
    }

    static Set<String> on(String path) {
        return INSTANCE.forPath(path);
    }

    Set<String> forPath(String path) {
        String slashed = path.startsWith("/") ? path : "/" + path;
        String normalized = slashed.length() > 1 && slashed.endsWith("/") ? slashed.substring(0, slashed.length() - 1) : slashed;
        Set<String> out = new TreeSet<>();
        for (Entry e : entries) {
            if (e.path().matcher(normalized).matches()) {
                out.add(e.method());
            }
        }
        return out;
    }

    private static String httpMethod(Method m) {
        for (var annotation : m.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** {@code /api/v1/pools/{pool}} → a pattern where each {@code {name}} is one path segment. */
    private static Pattern template(String path) {
        String clean = ("/" + path).replaceAll("/+", "/");
        if (clean.length() > 1 && clean.endsWith("/")) {
            clean = clean.substring(0, clean.length() - 1);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : clean.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
