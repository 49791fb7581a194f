package io.ballast.dataplane.routing;

import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The prefix routes of one host key, indexed by prefix so a request does not compare its path with every
 * prefix: for each distinct prefix length (longest first) one lookup of the path's first characters, by
 * {@link String#hashCode}'s polynomial computed over the path in place (no substring), in an open-addressing
 * table. A bucket holds the routes of one prefix (or of colliding ones, each checked with
 * {@code startsWith}), in {@link RouteEntry#BY_CONDITIONS} order. The work per request follows the number of
 * distinct prefix lengths, not of routes. Immutable and thread-safe.
 */
final class PrefixIndex {
    private final int[] lengths;
    private final long[] keys;
    private final RouteEntry[][] buckets;
    private final int mask;

    /** {@code sorted}: prefix routes, longest prefix first, then by conditions. */
    PrefixIndex(RouteEntry[] sorted) {
        Map<Long, List<RouteEntry>> byKey = new LinkedHashMap<>();
        TreeSet<Integer> distinct = new TreeSet<>();
        for (RouteEntry e : sorted) {
            String prefix = e.route.pathPrefix();
            distinct.add(prefix.length());
            byKey.computeIfAbsent(key(prefix.length(), prefix.hashCode()), k -> new ArrayList<>()).add(e);
        }
        lengths = distinct.descendingSet().stream().mapToInt(Integer::intValue).toArray();
        int size = Integer.highestOneBit(Math.max(4, byKey.size() * 2 - 1)) << 1;
        mask = size - 1;
        keys = new long[size];
        Arrays.fill(keys, -1L);
        buckets = new RouteEntry[size][];
        byKey.forEach((key, entries) -> {
            int slot = slot(key);
            while (keys[slot] != -1L) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            buckets[slot] = entries.toArray(RouteEntry[]::new);
        });
    }

    private static long key(int length, int hash) {
        return ((long) length << 32) | (hash & 0xffffffffL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    RouteMatch match(String path, HttpRequest request) {
        for (int length : lengths) {
            if (length > path.length()) {
                continue;
            }
            int h = 0;
            for (int i = 0; i < length; i++) {
                h = 31 * h + path.charAt(i);
            }
            long key = key(length, h);
            for (int slot = slot(key); keys[slot] != -1L; slot = (slot + 1) & mask) {
                if (keys[slot] == key) {
                    for (RouteEntry e : buckets[slot]) {
                        if (path.startsWith(e.route.pathPrefix()) && e.accepts(request)) {
                            return e.matched(path);
                        }
                    }
                    break;
                }
            }
        }
        return null;
    }
}
