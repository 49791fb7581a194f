package io.ballast.controlplane.persistence;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.persistence.FaultyDatabaseResource.InjectFaultProxy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The control plane through the failures a PostgreSQL failover causes, on a real PostgreSQL behind a
 * fault-injecting TCP proxy: connections reset under a stream of writes, a COMMIT whose answer is
 * lost (the write committed; the control plane cannot know), and no database at all for a while.
 * No 500s, no lost or doubled write, readiness down only while the database is away, and a data
 * plane that misses no revision committed while the LISTEN connection was down.
 */
@QuarkusTest
@WithTestResource(FaultyDatabaseResource.class)
class DatabaseFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectFaultProxy
    FaultProxy proxy;

    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI connect;

    @Test
    void aWriteWhoseCommitAnswerIsLostIsNotAppliedTwice() throws Exception {
        String pool = unique("lost-commit");
        int before = proxy.swallowed();
        proxy.swallowCommitAnswers(1);

        Response created = admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools");

        assertThat(proxy.swallowed()).as("the COMMIT answer was swallowed").isEqualTo(before + 1);
        // Without the write ledger the retry would find the pool and answer 409.
        assertThat(created.statusCode()).as(created.body().asString()).isEqualTo(201);
        long revision = Long.parseLong(created.header("X-Ballast-Revision"));
        assertThat(revisionsWithMessage("create pool " + pool)).containsExactly(revision);
        admin().get("/api/v1/pools/" + pool).then().statusCode(200);
    }

    @Test
    void aWriteToAReadOnlyServerWaitsForItToBecomeWritableAndReadinessSaysWhy() throws Exception {
        String pool = unique("read-only");
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            // What a demoted primary looks like to open connections: every write fails with 25006.
            setReadOnly(true);
            await("readiness down while read-only").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    RestAssured.get("/q/health/ready").then().statusCode(503)
                            .body(org.hamcrest.Matchers.containsString("read-only")));
            Future<Response> write = writer.submit(() -> admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools"));
            Thread.sleep(1_500);
            assertThat(write.isDone()).as("the write is retried, not failed, while the server is read-only").isFalse();
            setReadOnly(false);

            Response created = write.get(30, TimeUnit.SECONDS);
            assertThat(created.statusCode()).as(created.body().asString()).isEqualTo(201);
            assertThat(revisionsWithMessage("create pool " + pool)).hasSize(1);
            await("readiness back").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    RestAssured.get("/q/health/ready").then().statusCode(200));
        } finally {
            setReadOnly(false);
            writer.shutdownNow();
        }
    }

    private void setReadOnly(boolean readOnly) throws Exception {
        try (Connection c = DriverManager.getConnection(proxy.directJdbcUrl()); java.sql.Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET default_transaction_read_only = " + (readOnly ? "on" : "off"));
            s.execute("SELECT pg_reload_conf()");
        }
    }

    @Test
    void writesUnderRepeatedConnectionResetsAreEachAppliedOnceAndNeverAnswer500() throws Exception {
        int writers = 3;
        int perWriter = 12;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String prefix = unique("reset-w" + w);
                running.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        String name = prefix + "-" + i;
                        Response answer = admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools");
                        answers.put(name, answer.statusCode());
                        if (answer.statusCode() != 201 && answer.statusCode() != 503) {
                            failures.add(name + ": " + answer.statusCode() + " " + answer.body().asString());
                        }
                    }
                }));
            }
            Future<?> cutter = pool.submit(() -> {
                for (int i = 0; !running.stream().allMatch(Future::isDone) && i < 200; i++) {
                    if (i % 3 == 0) {
                        proxy.swallowCommitAnswers(1);
                    } else {
                        proxy.cutAll();
                    }
                    sleep(250);
                }
            });
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
            cutter.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(failures).as("answers other than 201 or 503").isEmpty();
        assertThat(answers).hasSize(writers * perWriter);
        long ok = answers.values().stream().filter(s -> s == 201).count();
        // A write may still run out of its retry budget when reset again and again on a loaded machine.
        assertThat(ok).as("the retry rides out resets: nearly every write succeeds").isGreaterThanOrEqualTo(writers * perWriter * 9L / 10);
        assertThat(proxy.swallowed()).as("some COMMIT answers were lost on the way").isPositive();
        List<Long> numbers = allRevisionNumbers();
        assertThat(numbers).as("revision numbers").doesNotHaveDuplicates().isSorted();
        for (Map.Entry<String, Integer> answer : answers.entrySet()) {
            List<Long> recorded = revisionsWithMessage("create pool " + answer.getKey());
            if (answer.getValue() == 201) {
                assertThat(recorded).as("revisions of " + answer.getKey()).hasSize(1);
            } else {
                assertThat(recorded).as("a 503 write is applied at most once: " + answer.getKey()).hasSizeLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void withoutADatabaseTheApiAnswers503AndReadinessIsDownThenItRecoversAndTheDataPlaneCatchesUp() throws Exception {
        String existing = unique("before-outage");
        admin().body("{\"name\":\"" + existing + "\"}").post("/api/v1/pools").then().statusCode(201);
        Frames frames = new Frames();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + EmbeddedPostgresResource.DATAPLANE_TOKEN)
                .buildAsync(URI.create(connect.toString().replaceFirst("^http", "ws")), frames).get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"0.1.0\"}".formatted(unique("catch-up")), true)
                    .get(5, TimeUnit.SECONDS);
            frames.next("snapshot");

            proxy.refuse(true);
            await("readiness down").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    RestAssured.get("/q/health/ready").then().statusCode(503));
            Response write = admin().body("{\"name\":\"" + unique("during-outage") + "\"}").post("/api/v1/pools");
            assertThat(write.statusCode()).as(write.body().asString()).isEqualTo(503);
            assertThat(write.contentType()).contains("application/problem+json");
            assertThat(write.header("Retry-After")).isNotBlank();
            Response read = admin().get("/api/v1/pools/" + existing);
            assertThat(read.statusCode()).as(read.body().asString()).isEqualTo(503);

            // Another instance commits while this one's LISTEN connection is down: its NOTIFY never arrives here.
            long missed = commitRevisionDirectly();

            proxy.refuse(false);
            await("readiness back").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    RestAssured.get("/q/health/ready").then().statusCode(200));
            JsonNode pushed = frames.next("snapshot");
            assertThat(pushed.path("revision").asLong()).as("caught up on the missed revision").isEqualTo(missed);
            admin().body("{\"name\":\"" + unique("after-outage") + "\"}").post("/api/v1/pools").then().statusCode(201);
            assertThat(frames.next("snapshot").path("revision").asLong()).isGreaterThan(missed);
        } finally {
            proxy.refuse(false);
            socket.abort();
        }
    }

    private long commitRevisionDirectly() throws Exception {
        try (Connection c = DriverManager.getConnection(proxy.directJdbcUrl())) {
            c.setAutoCommit(false);
            long number;
            try (PreparedStatement latest = c.prepareStatement("SELECT number, snapshot_json, hash FROM revisions ORDER BY number DESC LIMIT 1");
                 ResultSet rs = latest.executeQuery()) {
                rs.next();
                number = rs.getLong(1) + 1;
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO revisions (number, author, message, snapshot_json, hash) VALUES (?, 'other-instance', 'while away', ?, ?)")) {
                    insert.setLong(1, number);
                    insert.setString(2, rs.getString(2));
                    insert.setString(3, rs.getString(3));
                    insert.executeUpdate();
                }
            }
            c.commit();
            return number;
        }
    }

    private List<Long> revisionsWithMessage(String message) throws Exception {
        return numbers("SELECT number FROM revisions WHERE message = ? ORDER BY number", message);
    }

    private List<Long> allRevisionNumbers() throws Exception {
        return numbers("SELECT number FROM revisions ORDER BY created_at, number", null);
    }

    private List<Long> numbers(String sql, String parameter) throws Exception {
        try (Connection c = DriverManager.getConnection(proxy.directJdbcUrl()); PreparedStatement query = c.prepareStatement(sql)) {
            if (parameter != null) {
                query.setString(1, parameter);
            }
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Text frames from the control plane, as a data plane receives them. */
    private static final class Frames implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    queue.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            return null;
        }

        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                JsonNode frame = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (frame != null && type.equals(frame.path("type").asText())) {
                    return frame;
                }
            }
            throw new AssertionError("no '" + type + "' frame within 20 s");
        }
    }
}
