package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Writers racing each other: no duplicate, no 500, and revision numbers stay gap-free. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ConcurrentWritesTest {

    @Test
    void racingCreatesOfOneNameYieldOneWinner() throws Exception {
        long before = latest();
        String name = unique("race");
        List<Integer> statuses = runConcurrently(8, () ->
                admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools").then().extract().statusCode());
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(latest()).isEqualTo(before + 1);
    }

    @Test
    void racingDistinctWritesEachGetTheirOwnRevision() throws Exception {
        long before = latest();
        List<Integer> statuses = runConcurrently(6, () ->
                admin().body("{\"name\":\"" + unique("many") + "\"}").post("/api/v1/pools").then().extract().statusCode());
        assertThat(statuses).containsOnly(201);
        List<Integer> numbers = admin().get("/api/v1/revisions?limit=6").then().extract().jsonPath().getList("items.number");
        assertThat(numbers).containsExactly((int) before + 6, (int) before + 5, (int) before + 4,
                (int) before + 3, (int) before + 2, (int) before + 1);
    }

    private static long latest() {
        return admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().<Number>path("items[0].number").longValue();
    }

    private static List<Integer> runConcurrently(int n, Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<Integer> out = new ArrayList<>();
            for (Future<Integer> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
