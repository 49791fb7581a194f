package io.ballast.dataplane.lb;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx's smooth weighted round robin ({@code ngx_http_upstream_get_peer}): every pick adds each
 * candidate's weight to its running score, takes the highest score, and subtracts the total weight from
 * the winner. Over a cycle of sum(weights) picks each candidate is taken exactly weight times, interleaved
 * (weights 5,1,1 give a a b a c a a, not a a a a a b c). The scores are reset when the candidate list
 * changes (another list object: a health change, a retry). Thread-safe: picks are serialised on this
 * object, which costs little next to a network round trip.
 */
final class SmoothWeightedRoundRobin implements LoadBalancer {
    private List<?> scoredList;
    private Map<Object, long[]> scores = new IdentityHashMap<>();

    @Override
    public synchronized <E extends Endpoint> E select(List<E> candidates, RequestKey key) {
        int size = candidates.size();
        if (size == 0) {
            return null;
        }
        if (candidates != scoredList) {
            scoredList = candidates;
            Map<Object, long[]> fresh = new IdentityHashMap<>();
            // Keep the scores of candidates that stay, so a retry or a health change does not restart the cycle.
            for (E e : candidates) {
                fresh.put(e, scores.getOrDefault(e, new long[1]));
            }
            scores = fresh;
        }
        long total = 0;
        E best = null;
        long[] bestScore = null;
        for (E e : candidates) {
            int w = e.weight();
            long[] score = scores.get(e);
            score[0] += w;
            total += w;
            if (best == null || score[0] > bestScore[0]) {
                best = e;
                bestScore = score;
            }
        }
        bestScore[0] -= total;
        return best;
    }
}
