package io.ballast.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak's config pushes: each is a real REST write (backend {@code a}'s weight, to a new value every time, through
 * whichever control plane is not restarting) that the data plane must apply; a push counts as applied only when the
 * data plane's {@code /status} runs its revision and shows the new weight. Called from one thread at a time.
 */
final class ConfigPusher {
    /** A data plane whose control plane was just stopped reconnects within its backoff (at most 10 s) plus a resync. */
    private static final long APPLY_BOUND_NANOS = 30_000_000_000L;

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final SoakControlPlanes controlPlanes;
    private final SoakDataPlane dataPlane;
    private final int backendPort;
    private final List<Long> applyMillis = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int pushes;

    ConfigPusher(SoakControlPlanes controlPlanes, SoakDataPlane dataPlane, int backendPort) {
        this.controlPlanes = controlPlanes;
        this.dataPlane = dataPlane;
        this.backendPort = backendPort;
    }

    void push() {
        int weight = 50 + 10 * (pushes % 10);
        pushes++;
        String body = "{\"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": " + backendPort + ", \"weight\": " + weight + "}";
        long sent = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = controlPlanes.withWritable(cp -> put(cp, "/pools/web/backends/a", body));
        } catch (RuntimeException e) {
            failures.add("push " + pushes + ": " + e);
            return;
        }
        String revisionHeader = response.headers().firstValue("X-Ballast-Revision").orElse(null);
        if (response.statusCode() != 200 || revisionHeader == null) {
            failures.add("push " + pushes + ": " + response.statusCode() + " " + response.body());
            return;
        }
        long revision = Long.parseLong(revisionHeader);
        while (System.nanoTime() - sent < APPLY_BOUND_NANOS) {
            JsonNode status = dataPlane.statusOrNull();
            if (status != null && status.path("appliedRevision").asLong() >= revision) {
                int shown = SoakDataPlane.backend(status, "web", "a").path("weight").asInt(-1);
                if (status.path("appliedRevision").asLong() == revision && shown != weight) {
                    failures.add("push " + pushes + ": revision " + revision + " applied with weight " + shown + " instead of " + weight);
                } else {
                    applyMillis.add((System.nanoTime() - sent) / 1_000_000);
                }
                return;
            }
            sleep(20);
        }
        failures.add("push " + pushes + ": revision " + revision + " not applied by the data plane within 30 s");
    }

    int pushes() {
        return pushes;
    }

    /** From the write being sent to the data plane showing it, for each push that was applied. */
    List<Long> applyMillis() {
        return List.copyOf(applyMillis);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * A PUT that may take {@link #WRITE_TIMEOUT} to answer: while the other control plane starts (a JVM and Quarkus at
     * full CPU on a shared machine) a write can take seconds, and a slow answer is not a lost one.
     */
    private static HttpResponse<String> put(ControlPlane cp, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cp.url() + "/api/v1" + path)).timeout(WRITE_TIMEOUT)
                .header("Authorization", "Bearer " + ControlPlane.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
