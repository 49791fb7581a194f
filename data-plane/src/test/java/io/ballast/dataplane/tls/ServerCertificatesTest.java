package io.ballast.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.Certificate;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.tls.PemChain;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerCertificatesTest {
    private static final TestCertificates.Issued SHOP = TestCertificates.selfSigned("shop.example.com");
    private static final TestCertificates.Issued WILD = TestCertificates.selfSigned("*.example.com");
    private static final TestCertificates.Issued DEFAULT = TestCertificates.selfSigned("fallback.invalid");

    private static ServerCertificate loaded(String name, TestCertificates.Issued issued) {
        return new ServerCertificate(name, issued.keys().getPrivate(), issued.chain(), PemChain.dnsNames(issued.chain().get(0)));
    }

    private static Optional<String> pick(ServerCertificates set, String sni) {
        return set.select(sni).map(ServerCertificate::name);
    }

    @Test
    void exactThenWildcardThenDefaultElseNothing() {
        ServerCertificates withDefault = ServerCertificates.of(List.of(loaded("shop", SHOP), loaded("wild", WILD), loaded("default", DEFAULT)));
        assertThat(pick(withDefault, "shop.example.com")).contains("shop");
        assertThat(pick(withDefault, "SHOP.Example.COM.")).contains("shop");
        assertThat(pick(withDefault, "api.example.com")).contains("wild");
        assertThat(pick(withDefault, "a.b.example.com")).contains("default");
        assertThat(pick(withDefault, "example.com")).contains("default");
        assertThat(pick(withDefault, null)).contains("default");
        assertThat(pick(withDefault, "")).contains("default");
        ServerCertificates without = ServerCertificates.of(List.of(loaded("shop", SHOP), loaded("wild", WILD)));
        assertThat(pick(without, "other.test")).isEmpty();
        assertThat(pick(without, null)).isEmpty();
    }

    @Test
    void aSnapshotLoadsWithItsKeysAndIsRefusedWithoutOrWithTheWrongOne() {
        ConfigSnapshot config = ConfigSnapshot.EMPTY.withCertificates(List.of(
                new Certificate("shop", SHOP.chainPem(), true, null),
                new Certificate("bundle", WILD.chainPem(), false, null)));
        ServerCertificates.Loaded ok = ServerCertificates.load(config, Map.of("shop", SHOP.pkcs8()));
        assertThat(ok).isInstanceOfSatisfying(ServerCertificates.Loaded.Ok.class,
                o -> assertThat(o.certificates().byName()).containsOnlyKeys("shop"));
        assertThat(ServerCertificates.load(config, Map.of())).isInstanceOfSatisfying(ServerCertificates.Loaded.Refused.class,
                r -> assertThat(r.errors()).extracting(v -> v.field()).containsExactly("certificates[0].privateKey"));
        assertThat(ServerCertificates.load(config, Map.of("shop", WILD.pkcs8()))).isInstanceOfSatisfying(
                ServerCertificates.Loaded.Refused.class, r -> assertThat(r.errors().get(0).message()).contains("does not match"));
        assertThat(ServerCertificates.load(config, Map.of("shop", "garbage"))).isInstanceOf(ServerCertificates.Loaded.Refused.class);
    }
}
