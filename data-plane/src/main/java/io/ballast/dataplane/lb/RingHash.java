package io.ballast.dataplane.lb;

import java.util.Arrays;
import java.util.List;

/**
 * Ring hash (Karger et al.; Envoy's {@code RING_HASH}): each candidate owns points on a 64-bit ring in
 * proportion to its weight, placed by hashing its {@link Endpoint#affinityId()}; a key goes to the owner of
 * the first point at or after the key's hash. Because points depend only on the candidate itself, removing
 * one candidate moves only the keys it owned (about 1/N). The ring is built once per candidate list (the
 * list object changes only on a health change or a retry) and read without locks. Thread-safe.
 */
final class RingHash implements LoadBalancer {
    /** Points per 100 units of weight: enough for an even spread (±10% at 100 points) without a big ring. */
    static final int POINTS_PER_100_WEIGHT = 160;
    private static final int MAX_POINTS = 100_000;

    private final LoadBalancer withoutKey;
    private volatile Ring ring;

    RingHash(LoadBalancer withoutKey) {
        this.withoutKey = withoutKey;
    }

    private record Ring(List<?> source, long[] points, int[] owners) {
    }

    @Override
    public <E extends Endpoint> E select(List<E> candidates, RequestKey key) {
        if (candidates.isEmpty()) {
            return null;
        }
        if (key.hash() == null) {
            return withoutKey.select(candidates, key);
        }
        Ring r = ring;
        if (r == null || r.source() != candidates) {
            // Several threads may build at once after a change; each builds the same ring, the last one stays.
            r = build(candidates);
            ring = r;
        }
        long h = Hashing.hash64(key.hash());
        int idx = Arrays.binarySearch(r.points(), h);
        if (idx < 0) {
            idx = -idx - 1;
        }
        if (idx == r.points().length) {
            idx = 0;
        }
        @SuppressWarnings("unchecked")
        E chosen = (E) candidates.get(r.owners()[idx]);
        return chosen;
    }

    private static Ring build(List<? extends Endpoint> candidates) {
        long totalWeight = 0;
        for (Endpoint e : candidates) {
            totalWeight += Math.max(1, e.weight());
        }
        double scale = Math.min(POINTS_PER_100_WEIGHT / 100.0, (double) MAX_POINTS / totalWeight);
        int count = 0;
        int[] perEndpoint = new int[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            perEndpoint[i] = Math.max(1, (int) Math.round(Math.max(1, candidates.get(i).weight()) * scale));
            count += perEndpoint[i];
        }
        long[] hashes = new long[count];
        int[] ownersByPoint = new int[count];
        int n = 0;
        for (int i = 0; i < candidates.size(); i++) {
            String id = candidates.get(i).affinityId();
            for (int p = 0; p < perEndpoint[i]; p++) {
                hashes[n] = Hashing.hash64(id + "#" + p);
                ownersByPoint[n] = i;
                n++;
            }
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        // Ties (a 64-bit collision) are broken by owner id so every data plane builds the same ring.
        Arrays.sort(order, (a, b) -> hashes[a] != hashes[b] ? Long.compare(hashes[a], hashes[b])
                : candidates.get(ownersByPoint[a]).affinityId().compareTo(candidates.get(ownersByPoint[b]).affinityId()));
        long[] points = new long[count];
        int[] owners = new int[count];
        for (int i = 0; i < count; i++) {
            points[i] = hashes[order[i]];
            owners[i] = ownersByPoint[order[i]];
        }
        return new Ring(candidates, points, owners);
    }
}
