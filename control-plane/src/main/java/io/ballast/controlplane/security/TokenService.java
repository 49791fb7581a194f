package io.ballast.controlplane.security;

import io.ballast.controlplane.persistence.TokenEntity;
import io.ballast.controlplane.persistence.TokenRepository;
import io.ballast.controlplane.config.ResourceConflictException;
import io.ballast.controlplane.config.ResourceNotFoundException;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.ModelValidator;
import io.ballast.model.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues and checks bearer tokens. A verified token stays cached while it is used, until it has been
 * idle for {@code ballast.tokens.cache-ttl} ({@link VerifiedTokens}), so a request costs one indexed
 * row read instead of a PBKDF2 run; the read still happens so a deleted or re-keyed token stops working
 * at once. Blocking (JDBC): never call it on an event loop. Thread-safe.
 */
@ApplicationScoped
public class TokenService {
    /** Longer than any token we issue; bounds the work a hostile header can cause. */
    private static final int MAX_TOKEN_LENGTH = 512;
    private static final int MAX_CACHED = 10_000;
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    /** Serialises start-up provisioning across control planes; distinct from the config-write lock. */
    private static final long PROVISION_LOCK = 0x42616c6c61737474L;

    private final TokenRepository tokens;
    private final SecretHasher hasher;
    private final VerifiedTokens cache;
    private final Event<TokenRevoked> revoked;

    TokenService(TokenRepository tokens,
                 @ConfigProperty(name = "ballast.tokens.pbkdf2-iterations") int iterations,
                 @ConfigProperty(name = "ballast.tokens.cache-ttl") Duration cacheTtl,
                 Event<TokenRevoked> revoked) {
        this.tokens = tokens;
        this.hasher = new SecretHasher(iterations);
        this.cache = new VerifiedTokens(cacheTtl, MAX_CACHED);
        this.revoked = revoked;
    }

    /** Tokens after {@code after} in name order, at most {@code limit}. */
    @Transactional
    public List<TokenInfo> list(String after, int limit) {
        return tokens.page(after, limit).stream()
                .map(t -> new TokenInfo(t.name, t.role, t.createdAt, t.lastUsedAt, t.createdBy))
                .toList();
    }

    /**
     * Creates a named token with a new random secret; the answer is the only place the secret appears.
     *
     * @throws InvalidConfigException    for a bad name or role (HTTP 422)
     * @throws ResourceConflictException when the name is taken (HTTP 409): delete the old token first
     */
    @Transactional
    public IssuedToken create(String name, String role, String createdBy) {
        List<Violation> violations = new ArrayList<>();
        if (name == null || !ModelValidator.SLUG.matcher(name).matches()) {
            violations.add(new Violation("name", "must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit"));
        }
        Role parsed = null;
        try {
            parsed = role == null ? null : Role.fromWireName(role);
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (parsed == null || !parsed.wireName().equals(role)) {
            violations.add(new Violation("role", "must be one of viewer, operator, admin, dataplane"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidConfigException(violations);
        }
        if (tokens.findByName(name).isPresent()) {
            throw new ResourceConflictException("token '" + name + "' already exists; delete it first to replace its secret");
        }
        String secret = SecretHasher.newSecret();
        TokenEntity row = store(name, parsed, secret);
        row.createdBy = createdBy;
        return new IssuedToken(row.name, row.role, row.createdAt, createdBy, secret);
    }

    /**
     * Deletes a token. It stops working at once on every control-plane instance (each request re-reads
     * the row); sockets opened with it are closed by observers of {@link TokenRevoked}.
     *
     * @throws ResourceConflictException when it is the last admin token: nobody could manage tokens any more
     */
    @Transactional
    public void revoke(String name) {
        TokenEntity row = tokens.findByName(name)
                .orElseThrow(() -> new ResourceNotFoundException("token '" + name + "' does not exist"));
        if (row.role.equals(Role.ADMIN.wireName()) && tokens.count("role", Role.ADMIN.wireName()) <= 1) {
            throw new ResourceConflictException("token '" + name + "' is the last admin token; create another admin token first");
        }
        long id = row.id;
        tokens.delete(row);
        cache.forgetToken(id);
        revoked.fire(new TokenRevoked(row.name, Role.fromWireName(row.role)));
    }

    /** The caller that {@code presented} identifies, or empty when it is no valid token. */
    @Transactional
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String cacheKey = SecretHasher.sha256Hex(presented);
        Instant now = Instant.now();
        Optional<VerifiedTokens.Entry> cached = cache.use(cacheKey, now);
        if (cached.isPresent()) {
            Optional<TokenEntity> row = tokens.findByIdOptional(cached.get().tokenId());
            if (row.isPresent() && row.get().secretHash.equals(cached.get().secretHash())) {
                return Optional.of(used(row.get()));
            }
            cache.remove(cacheKey);
            return Optional.empty();
        }
        for (TokenEntity row : tokens.listByLookupKey(SecretHasher.lookupKey(presented))) {
            if (hasher.verify(presented, row.secretHash)) {
                cache.put(cacheKey, row.id, row.secretHash, now);
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

    /** What {@link #provision} did to a built-in token. */
    public enum Provisioned { SET, UNCHANGED, EXISTS, GENERATED }

    /**
     * What start-up does for a built-in token, in one transaction: make it carry {@code configured} when
     * given, else keep an existing one, else issue a new one. Two control planes starting at the same
     * instant on an empty database would otherwise both find no token and both insert it (the loser died
     * on the unique name); a transaction-scoped advisory lock makes the second wait for the first and then
     * find its token.
     *
     * @param secretOut receives the new secret when one was generated
     */
    @Transactional
    public Provisioned provision(String name, Role role, Optional<String> configured, java.util.function.Consumer<String> secretOut) {
        tokens.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, PROVISION_LOCK).getSingleResult();
        if (configured.isPresent()) {
            return ensure(name, role, configured.get()) ? Provisioned.SET : Provisioned.UNCHANGED;
        }
        if (tokens.findByName(name).isPresent()) {
            return Provisioned.EXISTS;
        }
        secretOut.accept(issue(name, role));
        return Provisioned.GENERATED;
    }

    @Transactional
    public boolean exists(String name) {
        return tokens.findByName(name).isPresent();
    }

    private TokenEntity store(String name, Role role, String secret) {
        TokenEntity row = tokens.findByName(name).orElseGet(TokenEntity::new);
        row.name = name;
        row.role = role.wireName();
        row.lookupKey = SecretHasher.lookupKey(secret);
        row.secretHash = hasher.hash(secret);
        if (row.createdAt == null) {
            row.createdAt = Instant.now();
        }
        tokens.persist(row);
        return row;
    }

    /** Records use at most once a minute, so reads do not turn into a write per request. */
    private Caller used(TokenEntity row) {
        Instant now = Instant.now();
        if (row.lastUsedAt == null || row.lastUsedAt.isBefore(now.minus(LAST_USED_RESOLUTION))) {
            row.lastUsedAt = now;
        }
        return new Caller(row.id, row.name, Role.fromWireName(row.role));
    }

}
