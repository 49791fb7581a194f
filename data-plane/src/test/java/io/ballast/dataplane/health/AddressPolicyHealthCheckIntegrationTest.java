package io.ballast.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.address.AddressGate;
import io.ballast.dataplane.address.Resolver;
import io.ballast.dataplane.testing.Configs;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.model.HealthCheck;
import io.ballast.model.validation.AddressPolicy;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 6: active health checks judge the address a backend's name resolves to, at every probe, by
 * the shared policy, and connect to that address. The DNS server is scripted (a map the test changes, as a
 * rebinding attacker changes their zone); probes, checker and backend are real.
 */
class AddressPolicyHealthCheckIntegrationTest {
    private final Map<String, InetAddress[]> zone = new ConcurrentHashMap<>();
    private final Resolver scriptedDns = host -> {
        InetAddress[] answer = zone.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        return answer;
    };
    private Vertx vertx;
    private TestBackend backend;
    private Probes probes;
    private HealthChecker checker;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = TestBackend.start(vertx, "x");
    }

    @AfterEach
    void stop() throws Exception {
        if (checker != null) {
            checker.close();
        }
        if (probes != null) {
            probes.close().await(5, TimeUnit.SECONDS);
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void checkWith(AddressGate gate) {
        probes = new Probes(vertx, gate);
        checker = new HealthChecker(vertx, probes, () -> 0.5, t -> { });
    }

    private HealthTarget target(String host, String type) {
        HealthCheck f = Configs.FAST_CHECK;
        HealthCheck check = new HealthCheck(type, null, "/healthz", null, null, f.interval(), f.timeout(), f.healthyThreshold(),
                f.unhealthyThreshold(), f.transitionInterval(), null);
        HealthTarget t = new HealthTarget("p/" + type + "/" + host + ":" + backend.port(), "p", "x", host, backend.port(), check,
                new HealthStatus(HealthState.INITIAL, new AtomicLong(), System::currentTimeMillis));
        checker.reconcile(List.of(t));
        return t;
    }

    private static InetAddress[] ip(String... literals) throws UnknownHostException {
        InetAddress[] result = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            result[i] = InetAddress.getByName(literals[i]);
        }
        return result;
    }

    @Test
    void aNameReboundToTheMetadataAddressTurnsTheBackendUnhealthyWithAddressForbidden() throws Exception {
        checkWith(new AddressGate(vertx, AddressPolicy.DEFAULT, scriptedDns));
        zone.put("app.rebind.test", ip("127.0.0.1"));
        HealthTarget http = target("app.rebind.test", "http");
        // Healthy proves the probe connected to the judged address: the name exists in no real DNS.
        await().atMost(Duration.ofSeconds(5)).until(() -> http.status().state() == HealthState.HEALTHY);

        zone.put("app.rebind.test", ip("169.254.169.254"));
        await().atMost(Duration.ofSeconds(5)).until(() -> http.status().state() == HealthState.UNHEALTHY);
        assertThat(http.status().reason()).isEqualTo("unhealthy:AddressForbidden");
    }

    @Test
    void everyEmbeddingOfAForbiddenAddressInAnAnswerIsRefusedForHttpAndTcp() throws Exception {
        checkWith(new AddressGate(vertx, AddressPolicy.DEFAULT, scriptedDns));
        Map<String, InetAddress[]> answers = Map.of(
                "nat64.test", ip("64:ff9b::a9fe:a9fe"),
                "sixtofour.test", ip("2002:a9fe:a9fe::1"),
                "alibaba.test", ip("100.100.100.200"),
                "mapped.test", ip("::ffff:169.254.169.254"),
                "linklocal6.test", ip("fe80::1"),
                "mixed.test", ip("127.0.0.1", "169.254.169.254"));
        zone.putAll(answers);
        for (String type : List.of("http", "tcp")) {
            List<HealthTarget> targets = answers.keySet().stream().map(host -> target(host, type)).toList();
            checker.reconcile(targets);
            for (HealthTarget t : targets) {
                await(t.host()).atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.UNHEALTHY);
                assertThat(t.status().reason()).as(type + " " + t.host()).isEqualTo("unhealthy:AddressForbidden");
            }
        }
    }

    @Test
    void withPrivateAddressesForbiddenLoopbackIsRefusedBySpellingAndByResolution() throws Exception {
        checkWith(AddressGate.system(vertx, new AddressPolicy(false)));
        // "localhost" is resolved by the system resolver (the hosts file), "127.0.0.1" is a literal.
        List<HealthTarget> targets = List.of(target("127.0.0.1", "http"), target("localhost", "http"), target("localhost.", "tcp"),
                target("[::1]", "tcp"), target("0.0.0.0", "tcp"));
        checker.reconcile(targets);
        for (HealthTarget t : targets) {
            await(t.host()).atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.UNHEALTHY);
            assertThat(t.status().reason()).as(t.host()).isEqualTo("unhealthy:AddressForbidden");
        }
    }

    @Test
    void withPrivateAddressesAllowedASystemResolvedNameIsProbedAsBefore() throws Exception {
        checkWith(AddressGate.system(vertx, AddressPolicy.DEFAULT));
        HealthTarget t = target("localhost", "http");
        await().atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.HEALTHY);
        HealthTarget missing = target("no-such-host.invalid", "tcp");
        await().atMost(Duration.ofSeconds(10)).until(() -> missing.status().state() == HealthState.UNHEALTHY);
        assertThat(missing.status().reason()).isNotEqualTo("unhealthy:AddressForbidden");
    }
}
