package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lb.RequestKey;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the member for each attempt of one request: one not tried yet, skipping those at
 * {@code maxConnectionsPerBackend} (one HTTP/1.1 backend connection carries one request, so requests in flight
 * count connections). When members exist but all are full, {@link #allFull} says so and the exchange waits in
 * the pending queue. The check and the later acquire are not atomic across event loops: a backend can exceed
 * its limit by at most the number of event loops. Not thread-safe; one instance per request.
 */
final class BackendSelection {
    private final UpstreamPool pool;
    private final RequestKey key;
    /** The first member tried: most requests make exactly one try, so the list below exists only for retries. */
    private Member first;
    private List<Member> tried;
    private int attempts;
    private boolean allFull;

    BackendSelection(UpstreamPool pool, RequestKey key) {
        this.pool = pool;
        this.key = key;
    }

    /** The member for the next attempt, or null (see {@link #allFull}). */
    Member next() {
        allFull = false;
        List<Member> tried = tried();
        Member member = pool.selectExcluding(tried, key);
        Integer limit = pool.config().maxConnectionsPerBackend();
        if (limit == null) {
            return member;
        }
        List<Member> excluded = null;
        while (member != null && member.live().inFlight() >= limit) {
            if (excluded == null) {
                excluded = new ArrayList<>(tried);
            }
            excluded.add(member);
            member = pool.selectExcluding(excluded, key);
        }
        allFull = member == null && excluded != null;
        return member;
    }

    /** The last {@link #next} found members, but every one at its connection limit. */
    boolean allFull() {
        return allFull;
    }

    void tried(Member m) {
        attempts++;
        if (first == null) {
            first = m;
            return;
        }
        if (tried == null) {
            tried = new ArrayList<>(4);
            tried.add(first);
        }
        tried.add(m);
    }

    int attempts() {
        return attempts;
    }

    private List<Member> tried() {
        if (tried != null) {
            return tried;
        }
        return first == null ? List.of() : List.of(first);
    }

    RequestKey key() {
        return key;
    }
}
