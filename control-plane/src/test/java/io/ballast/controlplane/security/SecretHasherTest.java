package io.ballast.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretHasherTest {
    private final SecretHasher hasher = new SecretHasher(1000);

    @Test
    void verifiesOnlyTheSameSecret() {
        String stored = hasher.hash("s3cret");
        assertThat(stored).startsWith("pbkdf2-sha256$1000$").doesNotContain("s3cret");
        assertThat(hasher.verify("s3cret", stored)).isTrue();
        assertThat(hasher.verify("s3cret ", stored)).isFalse();
        assertThat(hasher.verify("other", stored)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
    }

    @Test
    void refusesStoredValuesItCannotParse() {
        assertThat(hasher.verify("x", "plain")).isFalse();
        assertThat(hasher.verify("x", "pbkdf2-sha256$abc$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("x", "md5$1$2$3")).isFalse();
    }

    @Test
    void lookupKeysAreShortAndStable() {
        assertThat(SecretHasher.lookupKey("abc")).hasSize(16).isEqualTo(SecretHasher.lookupKey("abc"))
                .isEqualTo("ba7816bf8f01cfea"); // first 8 bytes of SHA-256("abc"), FIPS 180-2 test vector
        assertThat(SecretHasher.newSecret()).startsWith("blst_").hasSize(5 + 43).isNotEqualTo(SecretHasher.newSecret());
    }

    @Test
    void parsesBearerHeaders() {
        assertThat(BearerTokens.fromHeader("Bearer abc")).contains("abc");
        assertThat(BearerTokens.fromHeader("bearer  abc ")).contains("abc");
        assertThat(BearerTokens.fromHeader("Basic abc")).isEmpty();
        assertThat(BearerTokens.fromHeader("Bearer ")).isEmpty();
        assertThat(BearerTokens.fromHeader(null)).isEmpty();
    }

    @Test
    void restRolesAreOrderedAndDataPlaneHasNone() {
        assertThat(Role.ADMIN.allowsRest(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.allowsRest(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.allowsRest(Role.ADMIN)).isFalse();
        assertThat(Role.VIEWER.allowsRest(Role.OPERATOR)).isFalse();
        assertThat(Role.DATAPLANE.allowsRest(Role.VIEWER)).isFalse();
    }
}
