package io.ballast.controlplane.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
    private static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");
    private final VerifiedTokens cache = new VerifiedTokens(Duration.ofSeconds(60), 3);

    @Test
    void aTokenInUseStaysCachedPastTheTtl() {
        cache.put("k", 7, "hash", T0);
        for (int s = 10; s <= 600; s += 10) {
            assertTrue(cache.use("k", T0.plusSeconds(s)).isPresent(), "used every 10 s, still cached at " + s + " s");
        }
    }

    @Test
    void anIdleTokenExpiresAfterTheTtl() {
        cache.put("k", 7, "hash", T0);
        assertTrue(cache.use("k", T0.plusSeconds(59)).isPresent());
        assertTrue(cache.use("k", T0.plusSeconds(59 + 61)).isEmpty(), "idle for 61 s");
        assertTrue(cache.use("k", T0.plusSeconds(59 + 62)).isEmpty(), "and gone");
    }

    @Test
    void forgettingATokenDropsEveryKeyThatLedToIt() {
        cache.put("a", 7, "hash", T0);
        cache.put("b", 7, "hash", T0);
        cache.put("c", 8, "other", T0);
        cache.forgetToken(7);
        assertTrue(cache.use("a", T0).isEmpty());
        assertTrue(cache.use("b", T0).isEmpty());
        assertEquals(8, cache.use("c", T0).orElseThrow().tokenId());
    }

    @Test
    void aFullCacheStartsOverInsteadOfGrowing() {
        cache.put("a", 1, "h", T0);
        cache.put("b", 2, "h", T0);
        cache.put("c", 3, "h", T0);
        cache.put("d", 4, "h", T0);
        assertTrue(cache.use("a", T0).isEmpty());
        assertEquals(4, cache.use("d", T0).orElseThrow().tokenId());
    }
}
