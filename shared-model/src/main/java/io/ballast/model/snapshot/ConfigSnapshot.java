package io.ballast.model.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.json.BallastJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The whole routing configuration at one revision. Order of pools, backends, routes and hosts carries
 * no meaning: {@link #canonical()} sorts them so two equal configs built in different orders have
 * the same {@link #canonicalJson()} and {@link #hash()}. Immutable and thread-safe.
 *
 * <p>{@code certificates} is written only when there are some, so a config without certificates
 * keeps the bytes, and the hash, it had before certificates existed. Certificates never hold a
 * private key here (see {@link Certificate}).
 */
public record ConfigSnapshot(List<Pool> pools, List<Route> routes,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Certificate> certificates) {

    private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(List.of(), List.of());

    public ConfigSnapshot {
        pools = pools == null ? List.of() : List.copyOf(pools);
        routes = routes == null ? List.of() : List.copyOf(routes);
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }

    public ConfigSnapshot(List<Pool> pools, List<Route> routes) {
        this(pools, routes, List.of());
    }

    public ConfigSnapshot withCertificates(List<Certificate> newCertificates) {
        return new ConfigSnapshot(pools, routes, newCertificates);
    }

    /** The same config with every list in its canonical order. */
    public ConfigSnapshot canonical() {
        List<Pool> sortedPools = pools.stream()
                .map(p -> p.withBackends(p.backends().stream().sorted(Comparator.comparing(Backend::name, NULLS_FIRST)).toList()))
                .sorted(Comparator.comparing(Pool::name, NULLS_FIRST))
                .toList();
        List<Route> sortedRoutes = routes.stream()
                .map(r -> r.withHosts(r.hosts().stream().sorted(NULLS_FIRST).toList()))
                .sorted(Comparator.comparing(Route::name, NULLS_FIRST))
                .toList();
        List<Certificate> sortedCertificates = certificates.stream()
                .map(c -> c == null ? null : c.withoutPrivateKey())
                .sorted(Comparator.nullsFirst(Comparator.comparing(Certificate::name, NULLS_FIRST)))
                .toList();
        return new ConfigSnapshot(sortedPools, sortedRoutes, sortedCertificates);
    }

    /** Compact JSON of {@link #canonical()} with sorted keys and every default written out. */
    public String canonicalJson() {
        try {
            return BallastJson.canonical().writeValueAsString(canonical());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a snapshot of plain records must serialize", e);
        }
    }

    /** Lower-case hex SHA-256 of {@link #canonicalJson()}. */
    public String hash() {
        return sha256(canonicalJson());
    }

    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Reads a snapshot from JSON (as written by {@link #canonicalJson()} or by hand). */
    public static ConfigSnapshot fromJson(String json) {
        try {
            return BallastJson.lenient().readValue(json, ConfigSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a snapshot: " + e.getOriginalMessage(), e);
        }
    }

    public Certificate certificate(String name) {
        return certificates.stream().filter(c -> c != null && name.equals(c.name())).findFirst().orElse(null);
    }

    public Pool pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
