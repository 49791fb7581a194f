package io.ballast.model;

import java.util.List;
import java.util.Objects;

/**
 * Sends requests whose host and path match to a pool. The most specific route wins: an exact host
 * before a wildcard host before {@code *}, then the longer path prefix, then the higher priority.
 *
 * @param name        unique route name (a slug)
 * @param hosts       exact hosts or wildcards such as {@code *.example.com} [["*"]]; an empty list is kept as
 *                    given (and refused by validation) rather than read as "every host"
 * @param pathPrefix  path prefix, starting with {@code /} [/]
 * @param priority    breaks ties between equally specific routes, higher first [0]
 * @param pool        the pool that serves matching requests
 * @param stripPrefix remove {@code pathPrefix} before forwarding [false]
 */
public record Route(String name, List<String> hosts, String pathPrefix, Integer priority, String pool, Boolean stripPrefix) {

    public Route {
        hosts = hosts == null
                ? List.of("*")
                : hosts.stream().map(h -> h == null ? null : h.toLowerCase(java.util.Locale.ROOT)).toList();
        pathPrefix = Objects.requireNonNullElse(pathPrefix, "/");
        priority = Objects.requireNonNullElse(priority, 0);
        stripPrefix = Objects.requireNonNullElse(stripPrefix, false);
    }

    public static Route of(String name, String pool) {
        return new Route(name, null, null, null, pool, null);
    }

    public Route withHosts(List<String> newHosts) {
        return new Route(name, newHosts, pathPrefix, priority, pool, stripPrefix);
    }

    public Route withPathPrefix(String newPrefix) {
        return new Route(name, hosts, newPrefix, priority, pool, stripPrefix);
    }
}
