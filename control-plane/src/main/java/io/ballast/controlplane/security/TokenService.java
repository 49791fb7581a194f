package io.ballast.controlplane.security;

import io.ballast.controlplane.persistence.TokenEntity;
import io.ballast.controlplane.persistence.TokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues and checks bearer tokens. A verified token is cached for {@code ballast.tokens.cache-ttl},
 * keyed by the SHA-256 of what was presented (never the secret itself), so a request costs one
 * indexed row read instead of a PBKDF2 run; the read still happens so a deleted or re-keyed token
 * stops working at once. Blocking (JDBC): never call it on an event loop. Thread-safe.
 */
@ApplicationScoped
public class TokenService {
    /** Longer than any token we issue; bounds the work a hostile header can cause. */
    private static final int MAX_TOKEN_LENGTH = 512;
    private static final int MAX_CACHED = 10_000;
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final TokenRepository tokens;
    private final SecretHasher hasher;
    private final Duration cacheTtl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    TokenService(TokenRepository tokens,
                 @ConfigProperty(name = "ballast.tokens.pbkdf2-iterations") int iterations,
                 @ConfigProperty(name = "ballast.tokens.cache-ttl") Duration cacheTtl) {
        this.tokens = tokens;
        this.hasher = new SecretHasher(iterations);
        this.cacheTtl = cacheTtl;
    }

    /** The caller that {@code presented} identifies, or empty when it is no valid token. */
    @Transactional
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String cacheKey = SecretHasher.sha256Hex(presented);
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.expires().isAfter(Instant.now())) {
            Optional<TokenEntity> row = tokens.findByIdOptional(cached.tokenId());
            if (row.isPresent() && row.get().secretHash.equals(cached.secretHash())) {
                return Optional.of(used(row.get()));
            }
            cache.remove(cacheKey);
            return Optional.empty();
        }
        for (TokenEntity row : tokens.listByLookupKey(SecretHasher.lookupKey(presented))) {
            if (hasher.verify(presented, row.secretHash)) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(cacheKey, new Cached(row.id, row.secretHash, Instant.now().plus(cacheTtl)));
                return Optional.of(used(row));
            }
        }
        return Optional.empty();
    }

    /** Creates token {@code name} with a new random secret (replacing any old one) and returns the secret. */
    @Transactional
    public String issue(String name, Role role) {
        String secret = SecretHasher.newSecret();
        store(name, role, secret);
        return secret;
    }

    /**
     * Makes token {@code name} exist with exactly this role and secret.
     *
     * @return true when something had to change
     */
    @Transactional
    public boolean ensure(String name, Role role, String secret) {
        Optional<TokenEntity> row = tokens.findByName(name);
        if (row.isPresent() && row.get().role.equals(role.wireName()) && hasher.verify(secret, row.get().secretHash)) {
            return false;
        }
        store(name, role, secret);
        return true;
    }

    @Transactional
    public boolean exists(String name) {
        return tokens.findByName(name).isPresent();
    }

    private void store(String name, Role role, String secret) {
        TokenEntity row = tokens.findByName(name).orElseGet(TokenEntity::new);
        row.name = name;
        row.role = role.wireName();
        row.lookupKey = SecretHasher.lookupKey(secret);
        row.secretHash = hasher.hash(secret);
        if (row.createdAt == null) {
            row.createdAt = Instant.now();
        }
        tokens.persist(row);
    }

    /** Records use at most once a minute, so reads do not turn into a write per request. */
    private Caller used(TokenEntity row) {
        Instant now = Instant.now();
        if (row.lastUsedAt == null || row.lastUsedAt.isBefore(now.minus(LAST_USED_RESOLUTION))) {
            row.lastUsedAt = now;
        }
        return new Caller(row.id, row.name, Role.fromWireName(row.role));
    }

    private record Cached(long tokenId, String secretHash, Instant expires) {
    }
}
