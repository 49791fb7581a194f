package io.ballast.controlplane.security;

import static io.ballast.controlplane.Api.as;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.persistence.TokenRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class TokenServiceTest {
    @Inject
    TokenService tokens;

    @Inject
    TokenRepository rows;

    @Test
    void storesOnlyASaltedHash() {
        String name = unique("stored");
        String secret = tokens.issue(name, Role.VIEWER);
        String stored = QuarkusTransaction.requiringNew().call(() -> rows.findByName(name).orElseThrow().secretHash);
        assertThat(stored).startsWith("pbkdf2-sha256$").doesNotContain(secret);
    }

    @Test
    void aReissuedTokenStopsTheOldSecretAtOnceDespiteTheCache() {
        String name = unique("rotated");
        String old = tokens.issue(name, Role.VIEWER);
        as(old).get("/api/v1/pools").then().statusCode(200);
        String fresh = tokens.issue(name, Role.VIEWER);
        as(old).get("/api/v1/pools").then().statusCode(401);
        as(fresh).get("/api/v1/pools").then().statusCode(200);
    }

    @Test
    void aDeletedTokenStopsWorkingAtOnce() {
        String name = unique("deleted");
        String secret = tokens.issue(name, Role.VIEWER);
        as(secret).get("/api/v1/pools").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> rows.delete("name", name));
        as(secret).get("/api/v1/pools").then().statusCode(401);
    }

    @Test
    void twoControlPlanesProvisioningTheSameTokenAtOnceMakeItOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = unique("bootstrap");
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Callable<TokenService.Provisioned> start = () -> {
                    together.await();
                    return tokens.provision(name, Role.ADMIN, java.util.Optional.empty(), secret -> { });
                };
                var first = two.submit(start);
                var second = two.submit(start);
                assertThat(java.util.List.of(first.get(), second.get()))
                        .containsExactlyInAnyOrder(TokenService.Provisioned.GENERATED, TokenService.Provisioned.EXISTS);
            } finally {
                two.shutdownNow();
            }
            assertThat(QuarkusTransaction.requiringNew().call(() -> rows.count("name", name))).isEqualTo(1);
        }
    }

    @Test
    void ensureIsIdempotentAndUpdatesAChangedSecret() {
        String name = unique("ensured");
        assertThat(tokens.ensure(name, Role.OPERATOR, "first-secret-value")).isTrue();
        assertThat(tokens.ensure(name, Role.OPERATOR, "first-secret-value")).isFalse();
        assertThat(tokens.authenticate("first-secret-value")).map(Caller::role).contains(Role.OPERATOR);
        assertThat(tokens.ensure(name, Role.OPERATOR, "second-secret-value")).isTrue();
        assertThat(tokens.authenticate("first-secret-value")).isEmpty();
        assertThat(tokens.authenticate("second-secret-value")).map(Caller::name).contains(name);
    }
}
