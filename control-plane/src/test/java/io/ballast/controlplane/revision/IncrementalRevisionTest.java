package io.ballast.controlplane.revision;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.certificate.TestCertificates;
import io.ballast.controlplane.persistence.RevisionEntity;
import io.ballast.controlplane.persistence.RevisionRepository;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A write re-reads only what it touched and applies it to the snapshot kept in memory; what it stores
 * must still be byte for byte the canonical snapshot of every row. Random sequences of REST writes of
 * every kind (fixed seeds, so a failure replays), each followed by a full read compared with the
 * stored revision; and the two ways this instance's memory goes stale: another control-plane
 * instance records a revision, and rows change without any revision.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class IncrementalRevisionTest {
    @Inject
    SnapshotReader reader;
    @Inject
    RevisionRepository revisions;
    @Inject
    ConfigWriter writer;
    @Inject
    EntityManager em;
    @Inject
    LiveSnapshot live;

    @Test
    void randomWritesStoreTheCanonicalFullSnapshot() {
        for (long seed : new long[] {1, 2, 3}) {
            Random random = new Random(seed);
            String prefix = unique("inc" + seed);
            List<String> pools = new ArrayList<>();
            List<String> routes = new ArrayList<>();
            List<String> certificates = new ArrayList<>();
            for (int step = 0; step < 40; step++) {
                String what = randomWrite(random, prefix + "-" + step, pools, routes, certificates);
                assertStoredIsFull("seed " + seed + " step " + step + " (" + what + ")");
            }
        }
    }

    private String randomWrite(Random random, String fresh, List<String> pools, List<String> routes, List<String> certificates) {
        int op = pools.isEmpty() ? 0 : random.nextInt(11);
        String pool = pools.isEmpty() ? null : pools.get(random.nextInt(pools.size()));
        String host = "10.77." + random.nextInt(250) + "." + (1 + random.nextInt(250));
        switch (op) {
            case 0 -> {
                admin().body(Map.of("name", fresh, "description", "pool \u00e9 " + random.nextInt(9),
                                "backends", List.of(Map.of("host", host, "port", 80), Map.of("host", host, "port", 81))))
                        .post("/api/v1/pools").then().statusCode(201);
                pools.add(fresh);
                return "create pool";
            }
            case 1 -> {
                admin().body(Map.of("host", host, "port", 1000 + random.nextInt(1000))).post("/api/v1/pools/" + pool + "/backends")
                        .then().statusCode(201);
                return "add backend";
            }
            case 2 -> {
                List<String> names = admin().get("/api/v1/pools/" + pool + "/backends").then().statusCode(200)
                        .extract().jsonPath().getList("items.name");
                if (!names.isEmpty()) {
                    admin().delete("/api/v1/pools/" + pool + "/backends/" + names.get(random.nextInt(names.size())) + "?force=true")
                            .then().statusCode(204);
                }
                return "delete backend";
            }
            case 3 -> {
                admin().contentType("application/merge-patch+json")
                        .body(Map.of("algorithm", random.nextBoolean() ? "least-requests" : "round-robin",
                                "labels", Map.of("k", Integer.toString(random.nextInt(5)))))
                        .patch("/api/v1/pools/" + pool).then().statusCode(200);
                return "patch pool";
            }
            case 4 -> {
                admin().delete("/api/v1/pools/" + pool + "?force=true").then().statusCode(204);
                pools.remove(pool);
                return "delete pool";
            }
            case 5 -> {
                admin().body(Map.of("name", fresh, "hosts", List.of(fresh + ".example.com"), "pool", pool))
                        .post("/api/v1/routes").then().statusCode(201);
                routes.add(fresh);
                return "create route";
            }
            case 6 -> {
                if (routes.isEmpty()) {
                    return "nothing";
                }
                String route = routes.remove(random.nextInt(routes.size()));
                admin().delete("/api/v1/routes/" + route).then().statusCode(204);
                return "delete route";
            }
            case 7 -> {
                // A declarative file touching several pools at once (no prune: other tests' pools stay).
                List<Map<String, Object>> file = new ArrayList<>();
                for (String p : pools.subList(0, Math.min(3, pools.size()))) {
                    file.add(Map.of("name", p, "backends", List.of(Map.of("host", host, "port", 90 + random.nextInt(3)))));
                }
                admin().body(Map.of("pools", file)).put("/api/v1/config?force=true").then().statusCode(200);
                return "declarative apply";
            }
            case 8 -> {
                List<String> names = admin().get("/api/v1/pools/" + pool + "/backends").then().statusCode(200)
                        .extract().jsonPath().getList("items.name");
                if (!names.isEmpty()) {
                    admin().post("/api/v1/pools/" + pool + "/backends/" + names.get(0) + "/drain?force=true").then().statusCode(200);
                }
                return "drain";
            }
            case 9 -> {
                Map<String, Object> body = new HashMap<>();
                TestCertificates.Issued cert = TestCertificates.selfSigned(fresh + ".example.com");
                body.put("name", fresh);
                body.put("certificate", cert.chainPem());
                body.put("privateKey", cert.pkcs8());
                admin().body(body).post("/api/v1/certificates").then().statusCode(201);
                certificates.add(fresh);
                return "create certificate";
            }
            default -> {
                if (certificates.isEmpty()) {
                    return "nothing";
                }
                admin().delete("/api/v1/certificates/" + certificates.remove(random.nextInt(certificates.size()))).then().statusCode(204);
                return "delete certificate";
            }
        }
    }

    @Test
    void aRevisionWrittenByAnotherInstanceIsTheBaseOfTheNextWrite() {
        String mine = unique("mine");
        admin().body(Map.of("name", mine, "backends", List.of(Map.of("host", "10.78.0.1", "port", 80))))
                .post("/api/v1/pools").then().statusCode(201);
        // Another control plane: under the same lock, it changes rows and records the revision itself.
        String theirs = unique("theirs");
        QuarkusTransaction.requiringNew().run(() -> {
            writer.lock();
            em.createNativeQuery("INSERT INTO pools (name, settings, version, created_at, updated_at)"
                    + " VALUES (?1, '{}', 0, now(), now())").setParameter(1, theirs).executeUpdate();
            ConfigSnapshot full = reader.current();
            RevisionEntity head = revisions.latest().orElseThrow();
            RevisionEntity row = new RevisionEntity();
            row.number = head.number + 1;
            row.createdAt = Instant.now();
            row.author = "other-instance";
            row.snapshotJson = full.canonicalJson();
            row.hash = full.hash();
            revisions.persist(row);
        });
        admin().body(Map.of("host", "10.78.0.2", "port", 80)).post("/api/v1/pools/" + mine + "/backends").then().statusCode(201);
        String stored = assertStoredIsFull("after another instance's revision");
        assertThat(stored).contains("\"name\":\"" + theirs + "\"").contains("10.78.0.2");
    }

    @Test
    void rowsChangedBehindTheControlPlaneAreReadWhenTheCountsDisagree() {
        String pool = unique("sneaky");
        admin().body(Map.of("name", pool, "backends", List.of(Map.of("host", "10.79.0.1", "port", 80))))
                .post("/api/v1/pools").then().statusCode(201);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "INSERT INTO backends (pool_id, name, host, port, weight, admin_state, labels, version, created_at, updated_at)"
                        + " SELECT id, '10.79.0.9:80', '10.79.0.9', 80, 100, 'enabled', '{}', 0, now(), now() FROM pools WHERE name = ?1")
                .setParameter(1, pool).executeUpdate());
        String other = unique("other");
        admin().body(Map.of("name", other)).post("/api/v1/pools").then().statusCode(201);
        assertThat(assertStoredIsFull("after a row inserted behind the control plane's back")).contains("10.79.0.9");
    }

    @Test
    void aRestartedInstanceReadsEverythingOnItsFirstWrite() {
        live.clear();
        String pool = unique("restart");
        admin().body(Map.of("name", pool)).post("/api/v1/pools").then().statusCode(201);
        assertStoredIsFull("first write after a restart");
        assertThat(live.primed()).isTrue();
    }

    /** The latest revision's stored snapshot and hash equal a full read of the rows; returns the stored JSON. */
    private String assertStoredIsFull(String when) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RevisionEntity head = revisions.latest().orElseThrow();
            ConfigSnapshot full = reader.current();
            assertThat(head.snapshotJson).as(when).isEqualTo(full.canonicalJson());
            assertThat(head.hash).as(when).isEqualTo(full.hash());
            return head.snapshotJson;
        });
    }
}
