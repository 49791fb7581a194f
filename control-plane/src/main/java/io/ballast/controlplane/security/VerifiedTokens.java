package io.ballast.controlplane.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose secret passed PBKDF2, keyed by the SHA-256 of what was presented (never the secret
 * itself). An entry lives while it is used: each hit pushes its expiry {@code idleTtl} ahead, so a
 * pipeline polling the API every second pays the PBKDF2 run once, not once per TTL (a fixed expiry made
 * every minute's first request of each client take ~100 ms, the outliers of the write benchmark).
 * Staying cached longer is safe because every request still re-reads the token row and compares the
 * stored hash: a deleted or re-keyed token stops working at once. Thread-safe.
 */
final class VerifiedTokens {
    private final Duration idleTtl;
    private final int capacity;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedTokens(Duration idleTtl, int capacity) {
        this.idleTtl = idleTtl;
        this.capacity = capacity;
    }

    /** The entry for {@code key} if it was used within the idle TTL; a hit keeps it alive. */
    Optional<Entry> use(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!entry.expires().isAfter(now)) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        // Re-stamp only past half the TTL: one small write a half-TTL per client, not one per request.
        if (entry.expires().isBefore(now.plus(idleTtl.dividedBy(2)))) {
            entries.replace(key, entry, entry.withExpiry(now.plus(idleTtl)));
        }
        return Optional.of(entry);
    }

    void put(String key, long tokenId, String secretHash, Instant now) {
        if (entries.size() >= capacity) {
            entries.clear(); // a flood of distinct valid tokens is rare; costs one PBKDF2 run per client after it
        }
        entries.put(key, new Entry(tokenId, secretHash, now.plus(idleTtl)));
    }

    void remove(String key) {
        entries.remove(key);
    }

    void forgetToken(long tokenId) {
        entries.values().removeIf(e -> e.tokenId() == tokenId);
    }

    record Entry(long tokenId, String secretHash, Instant expires) {
        Entry withExpiry(Instant newExpiry) {
            return new Entry(tokenId, secretHash, newExpiry);
        }
    }
}
